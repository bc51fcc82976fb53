import Foundation
import Hummingbird
import LoopAPI
import LoopCatalog
import LoopCore

/// The account's favourites and collections over every server's sounds, kept in the shared
/// catalogue (`everywhere=true`, or a sound named by host): what a person marks through one
/// server is seen through every other. A sound's own server still keeps its local favourites.
struct CatalogLibraryRoutes: Sendable {
    let library: CatalogLibrary
    /// This server's name in the catalogue.
    let host: String
    let links: PublicLinks

    func add(to group: RouterGroup<WebContext>) {
        group.put("hosts/:host/sounds/:id/favourite") { _, context in try await favourite(context, true) }
        group.delete("hosts/:host/sounds/:id/favourite") { _, context in try await favourite(context, false) }
        group.put("collections/:name/hosts/:host/sounds/:id") { request, context in try await change(request, context, remove: false) }
        group.delete("collections/:name/hosts/:host/sounds/:id") { request, context in try await change(request, context, remove: true) }
    }

    /// The account's name: every route here is behind a login.
    static func account(_ context: WebContext) throws -> Account {
        guard let account = context.account else { throw APIError.unauthorized("Log in first.") }
        return account
    }

    static func holder(_ context: WebContext) throws -> String {
        try checkedHost(context.parameters.get("host"))
    }

    /// A host's name as a request gives it: 1 to 128 characters.
    static func checkedHost(_ host: String?) throws -> String {
        guard let host, (1...128).contains(host.count) else { throw APIError(.badRequest, "A host is named by 1 to 128 characters.") }
        return host
    }

    func favourite(_ context: WebContext, _ on: Bool) async throws -> Response {
        let id = try SoundRoutes.id(context), holder = try Self.holder(context)
        guard try await failing({ try await library.setFavourite(on, account: try Self.account(context).name, host: holder, fileID: id) }) else {
            throw APIError(.notFound, CatalogLibraryError.noSound(host: holder, id: id).description)
        }
        return SoundJSON.response("{\"host\":" + JSONLiteral.string(holder) + ",\"id\":\(id),\"favourite\":\(on)}")
    }

    /// `GET /favourites?everywhere=true`.
    func favourites(_ request: Request, _ context: WebContext) async throws -> Response {
        let hits = try await failing { try await library.favourites(account: try Self.account(context).name) }
        return page(hits, request)
    }

    /// `GET /collections?everywhere=true`.
    func collections(_ context: WebContext) async throws -> Response {
        let all = try await failing { try await library.collections(account: try Self.account(context).name) }
        var text = "{\"count\":\(all.count),\"results\":["
        for (index, collection) in all.enumerated() {
            if index > 0 { text += "," }
            Self.write(collection, to: &text)
        }
        return SoundJSON.response(text + "]}")
    }

    /// `POST /collections?everywhere=true` with `{"name", "shared"?}`; sharing is for writers.
    func create(_ body: LibraryRoutes.NewCollection, _ context: WebContext) async throws -> Response {
        let account = try Self.account(context)
        let shared = body.shared ?? false
        if shared, account.role < .writer { throw APIError(.forbidden, "Sharing a collection needs the writer role.") }
        guard (1...128).contains(body.name.count) else { throw APIError(.badRequest, "A collection is named by 1 to 128 characters.") }
        let made = try await failing { try await library.createCollection(owner: account.name, name: body.name, shared: shared) }
        var text = ""
        Self.write(made, to: &text)
        return SoundJSON.response(text, status: .created)
    }

    /// `GET /collections/{name}?everywhere=true[&owner=NAME]`: one of the account's, or one shared by `owner`.
    func collection(_ name: String, _ request: Request, _ context: WebContext) async throws -> Response {
        let account = try Self.account(context).name
        let owner = request.uri.queryParameters.get("owner") ?? account
        let (found, hits) = try await failing { try await library.collection(owner: owner, name: name, account: account) }
        var text = "{\"collection\":"
        Self.write(found, to: &text)
        text += ",\"results\":"
        let own = host
        SoundJSON.writeArray(
            hits.map(\.record), base: links.base(of: request), to: &text,
            members: { SoundJSON.members(of: hits[$0]) }, hosts: { SoundJSON.holder(of: hits[$0], ownHost: own) }
        )
        return SoundJSON.response(text + "}")
    }

    func delete(_ name: String, _ context: WebContext) async throws -> Response {
        try await failing { try await library.deleteCollection(owner: try Self.account(context).name, name: name) }
        return Response(status: .noContent)
    }

    /// `PUT|DELETE /collections/{name}/hosts/{host}/sounds/{id}`: always the catalogue's collection.
    func change(_ request: Request, _ context: WebContext, remove: Bool) async throws -> Response {
        let id = try SoundRoutes.id(context), holder = try Self.holder(context), name = try LibraryRoutes.name(context)
        let changed = try await failing {
            try await library.change(collection: name, owner: try Self.account(context).name, host: holder, fileID: id, remove: remove)
        }
        return SoundJSON.response("{\"changed\":\(changed ? 1 : 0)}")
    }

    /// A sound named by its host and id in a request's body.
    struct SoundKey: Decodable {
        var host: String
        var id: Int64

        func checked() throws -> CatalogSoundKey {
            guard id > 0 else { throw APIError(.badRequest, "A sound is named by its id, a positive number.") }
            return CatalogSoundKey(host: try CatalogLibraryRoutes.checkedHost(host), fileID: id)
        }
    }

    /// `POST /collections/{name}/move?everywhere=true` with `{"sounds": [{"host", "id"}], "before": {"host", "id"}}`
    /// or `"to_start": true` (else to the end): a new order for one of the account's collections.
    func move(_ name: String, _ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(
            LibraryRoutes.Move<SoundKey>.self, request, maxBytes: LibraryRoutes.maxBodyBytes * 4, shape: "{\"sounds\": [{\"host\": \"studio\", \"id\": 12}], \"before\": {\"host\": \"friend\", \"id\": 3}}"
        )
        guard (1...LibraryRoutes.maxSoundsPerRequest).contains(body.sounds.count) else {
            throw APIError(.badRequest, "Give 1 to \(LibraryRoutes.maxSoundsPerRequest) sounds to move at once (\(body.sounds.count) given).")
        }
        let sounds = try body.sounds.map { try $0.checked() }, before = try body.before?.checked()
        let changed = try await failing {
            try await library.move(collection: name, owner: try Self.account(context).name, sounds: sounds, before: before, toStart: body.toStart ?? false)
        }
        return SoundJSON.response("{\"changed\":\(changed)}")
    }

    func page(_ hits: [CatalogHit], _ request: Request) -> Response {
        let own = host
        return SoundJSON.page(
            hits.map(\.record), count: hits.count, next: nil, base: links.base(of: request),
            members: { SoundJSON.members(of: hits[$0]) }, hosts: { SoundJSON.holder(of: hits[$0], ownHost: own) }
        )
    }

    static func write(_ collection: CatalogLibrary.Collection, to text: inout String) {
        text += "{\"name\":" + JSONLiteral.string(collection.name) + ",\"owner\":" + JSONLiteral.string(collection.owner)
        text += ",\"shared\":\(collection.shared),\"items\":\(collection.items),\"created\":\(Int64(collection.createdAt)),\"everywhere\":true}"
    }

    /// The catalogue's refusals as 404 or 409, and its absence as 503, each with its sentence.
    func failing<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch let error as CatalogLibraryError {
            switch error {
            case .noCollection, .noSound: throw APIError(.notFound, error.description)
            case .tooManyCollections: throw APIError(.conflict, error.description)
            case .notInCollection, .movedBeforeItself, .twoPlaces: throw APIError(.badRequest, error.description)
            }
        } catch {
            throw APIError(.serviceUnavailable, "The shared catalogue cannot be reached now: \(CatalogError.reason(error))")
        }
    }
}
