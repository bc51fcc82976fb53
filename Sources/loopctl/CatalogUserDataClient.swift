import ArgumentParser
import Foundation
import LoopRPC

/// A sound of the shared catalogue as the command line names it: `HOST:ID`, as
/// `loopctl search --everywhere` lists them (the host may hold colons; the id follows the last).
struct CatalogSoundArgument: ExpressibleByArgument, CustomStringConvertible {
    let host: String
    let id: Int64

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let id = Int64(argument[argument.index(after: colon)...]), id > 0 else { return nil }
        let host = String(argument[..<colon])
        guard (1...128).contains(host.count) else { return nil }
        self.host = host
        self.id = id
    }

    var description: String { host + ":" + String(id) }

    /// The sound's place in the API: `/hosts/{host}/sounds/{id}`.
    var path: String {
        "/hosts/" + (host.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? host) + "/sounds/\(id)"
    }
}

/// A collection kept in the shared catalogue, as the API lists it.
struct CatalogCollection: Codable {
    var name: String
    var owner: String
    var shared: Bool
    var items: Int
    var created: Int64
}

/// A catalogue collection and its sounds in order.
struct CatalogCollectionContents: Codable {
    var collection: CatalogCollection
    var sounds: [EverywhereSound]
}

/// The token's account's favourites and collections in the shared catalogue, through a loopweb
/// server with a catalogue: the API's `everywhere=true` side and its `/hosts/{host}/sounds/{id}`
/// routes.
struct CatalogUserDataClient {
    let server: RemoteServer

    /// Marks or unmarks one sound (again is no error).
    func setFavourite(_ sound: CatalogSoundArgument, _ on: Bool) throws(RPCClientError) {
        _ = try server.exchange { () throws(FetchError) in try server.fetcher.send(on ? "PUT" : "DELETE", server.api(sound.path + "/favourite")) }
    }

    func favourites() throws(RPCClientError) -> [EverywhereSound] {
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.get(server.api("/favourites?everywhere=true")) }
        struct Reply: Decodable { var results: [EverywhereSound] }
        return try server.decode(Reply.self, body, "not a list of sounds").results
    }

    func collections() throws(RPCClientError) -> [CatalogCollection] {
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.get(server.api("/collections?everywhere=true")) }
        struct Reply: Decodable { var results: [CatalogCollection] }
        return try server.decode(Reply.self, body, "not a list of collections").results
    }

    /// Makes a collection, or shares or unshares the account's own of that name.
    func create(_ name: String, shared: Bool) throws(RPCClientError) -> CatalogCollection {
        struct Request: Encodable { var name: String; var shared: Bool }
        let json = (try? JSONEncoder().encode(Request(name: name, shared: shared))) ?? Data()
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.post(server.api("/collections?everywhere=true"), json: json) }
        return try server.decode(CatalogCollection.self, body, "not a collection")
    }

    func delete(_ name: String) throws(RPCClientError) {
        _ = try server.exchange { () throws(FetchError) in try server.fetcher.send("DELETE", server.collection(name, "?everywhere=true")) }
    }

    /// Puts a sound in (or takes it out of) one of the account's collections; true when that changed it.
    func change(_ name: String, _ sound: CatalogSoundArgument, remove: Bool) throws(RPCClientError) -> Bool {
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.send(remove ? "DELETE" : "PUT", server.collection(name, sound.path)) }
        struct Reply: Decodable { var changed: Int }
        return try server.decode(Reply.self, body, "not a change count").changed > 0
    }

    /// Moves sounds of one of the account's collections before another, to its start or its end;
    /// returns how many changed place.
    func move(_ name: String, _ sounds: [CatalogSoundArgument], before: CatalogSoundArgument?, toStart: Bool) throws(RPCClientError) -> Int {
        struct Key: Encodable { var host: String; var id: Int64 }
        struct Request: Encodable {
            var sounds: [Key]
            var before: Key?
            var to_start: Bool
        }
        let request = Request(sounds: sounds.map { Key(host: $0.host, id: $0.id) }, before: before.map { Key(host: $0.host, id: $0.id) }, to_start: toStart)
        let json = (try? JSONEncoder().encode(request)) ?? Data()
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.post(server.collection(name, "/move?everywhere=true"), json: json) }
        struct Reply: Decodable { var changed: Int }
        return try server.decode(Reply.self, body, "not a change count").changed
    }

    /// One of the account's collections, or one `owner` shares.
    func show(_ name: String, owner: String?) throws(RPCClientError) -> CatalogCollectionContents {
        var query = "?everywhere=true"
        if let owner { query += "&owner=" + (owner.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? owner) }
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.get(server.collection(name, query)) }
        struct Reply: Decodable { var collection: CatalogCollection; var results: [EverywhereSound] }
        let reply = try server.decode(Reply.self, body, "not a collection")
        return CatalogCollectionContents(collection: reply.collection, sounds: reply.results)
    }
}
