import Foundation
import LoopAPI
import LoopCore
import LoopRPC

/// A sound found in the shared catalogue through a loopweb server (`GET /sounds?everywhere=true`):
/// which server holds it, whether that server is heard from, and its download through this one.
struct EverywhereSound: Codable {
    var host: String
    var available: Bool
    var id: Int64
    var name: String
    var folder: String
    var format: AudioFormat?
    var duration: Double?
    var bpm: Double?
    var key: String?
    var type: SampleType?
    var size: Int64?
    var hash: String?
    var download: String
}

/// A page of the catalogue's answer, as `--json` prints it: `next` is the cursor for `--cursor`.
struct EverywherePage: Codable {
    var sounds: [EverywhereSound]
    var next: String?
    var facets: SearchFacets?
}

/// `loopctl search --everywhere`: the same request as on loopd, asked of the catalogue through
/// loopweb's API, page after page with `--all`.
struct EverywhereSearch {
    let server: RemoteServer

    func page(_ request: FindRequest) throws(RPCClientError) -> EverywherePage {
        var components = URLComponents()
        components.queryItems = [
            URLQueryItem(name: "q", value: request.query), URLQueryItem(name: "everywhere", value: "true"),
            URLQueryItem(name: "page_size", value: String(request.limit)),
        ]
        if let sort = request.sort { components.queryItems?.append(URLQueryItem(name: "sort", value: sort.apiName(descending: request.descending))) }
        if let cursor = request.cursor { components.queryItems?.append(URLQueryItem(name: "cursor", value: cursor)) }
        for (name, on) in [("half_double", request.halfDoubleTime), ("compatible_keys", request.compatibleKeys), ("facets", request.facets)] where on {
            components.queryItems?.append(URLQueryItem(name: name, value: "true"))
        }
        // `+` is a space in a query string: the query language's own plus signs must stay signs.
        let query = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let (_, body) = try server.exchange { () throws(FetchError) in try server.fetcher.get(server.api("/sounds?" + query)) }
        struct Reply: Decodable { var results: [EverywhereSound]; var next: String?; var facets: SearchFacets? }
        let reply = try server.decode(Reply.self, body, "not a list of sounds")
        let cursor = reply.next.flatMap { URLComponents(string: $0)?.queryItems?.first { $0.name == "cursor" }?.value }
        return EverywherePage(sounds: reply.results, next: cursor, facets: reply.facets)
    }

    /// Every page from `request`'s on; facets are the first page's.
    func all(_ request: FindRequest) throws(RPCClientError) -> EverywherePage {
        var request = request
        var result = try page(request)
        request.facets = false
        while let next = result.next {
            request.cursor = next
            let following = try page(request)
            result.sounds += following.sounds
            result.next = following.next
        }
        return result
    }

    /// The sounds as an aligned table; an unavailable host's rows say so.
    static func render(_ sounds: [EverywhereSound]) -> String {
        let header = ["HOST", "ID", "FILE", "LENGTH", "BPM", "KEY", "TYPE", ""]
        let rows = sounds.map { sound -> [String] in
            [
                sound.host, String(sound.id), sound.folder.isEmpty ? sound.name : sound.folder + "/" + sound.name,
                sound.duration.map(Formatting.duration) ?? "-", Formatting.number(sound.bpm), sound.key ?? "-",
                sound.type?.rawValue ?? "-", sound.available ? "" : "(host unavailable)",
            ]
        }
        return RecordTable.align([header] + rows, rightAligned: [1, 3, 4])
    }
}
