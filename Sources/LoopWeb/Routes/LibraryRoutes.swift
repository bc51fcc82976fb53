import Foundation
import Hummingbird
import LoopAPI
import LoopCore

/// The account's own library data, kept by loopd on its behalf: favourites, tags and collections
/// (a cart is a collection), and a collection as one ZIP.
struct LibraryRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks
    /// The catalogue's favourites and collections, asked for with `everywhere=true`; nil without a catalogue.
    var catalog: CatalogLibraryRoutes?

    init(loopd: LoopdGateway, links: PublicLinks) {
        self.loopd = loopd
        self.links = links
    }

    /// A tag change's or a new collection's JSON body is small.
    static let maxBodyBytes = 16 * 1024

    func add(to group: RouterGroup<WebContext>) {
        group.put("sounds/:id/favourite") { _, context in try await favourite(context, true) }
        group.delete("sounds/:id/favourite") { _, context in try await favourite(context, false) }
        group.post("sounds/:id/tags") { request, context in try await tag(request, context) }
        group.get("favourites") { request, context in try await favourites(request, context) }
        group.get("collections") { request, context in try await collections(request, context) }
        group.post("collections") { request, context in try await create(request, context) }
        group.get("collections/:name") { request, context in try await collection(request, context) }
        group.patch("collections/:name") { request, context in try await share(request, context) }
        group.delete("collections/:name") { request, context in try await delete(request, context) }
        group.post("collections/:name/sounds") { request, context in try await addMany(request, context) }
        group.put("collections/:name/sounds/:id") { _, context in try await change(context, remove: false) }
        group.delete("collections/:name/sounds/:id") { _, context in try await change(context, remove: true) }
        group.post("collections/:name/move") { request, context in try await move(request, context) }
        group.get("collections/:name/zip") { _, context in try await zip(context) }
    }

    func favourite(_ context: WebContext, _ on: Bool) async throws -> Response {
        let id = try SoundRoutes.id(context)
        _ = try await loopd.call(LoopMethod.favourite, FavouriteRequest(files: FileSelection(ids: [id]), favourite: on), for: context.account)
        return SoundJSON.response("{\"id\":\(id),\"favourite\":\(on)}")
    }

    struct TagChange: Decodable {
        var add: [String]?
        var remove: [String]?
    }

    /// `POST /sounds/{id}/tags` with `{"add": [...], "remove": [...]}` (writers).
    func tag(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try SoundRoutes.id(context)
        let change = try await JSONBody.decode(TagChange.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"add\": [\"tag\"], \"remove\": [\"tag\"]}")
        let tags = TagRequest(files: FileSelection(ids: [id]), add: change.add ?? [], remove: change.remove ?? [])
        _ = try await loopd.call(LoopMethod.tag, tags, for: context.account)
        let record = try await loopd.call(LoopMethod.get, FileReference(id: id), for: context.account)
        return SoundJSON.response("{\"id\":\(id),\"tags\":" + "[" + record.tags.map { JSONLiteral.string($0) }.joined(separator: ",") + "]" + "}")
    }

    /// `GET /favourites`: the account's favourites, a page of sounds as search gives them.
    func favourites(_ request: Request, _ context: WebContext) async throws -> Response {
        if let everywhere = try everywhere(request) { return try await everywhere.favourites(request, context) }
        let page = try await loopd.call(LoopMethod.find, FindRequest(query: "fav:yes", sort: .added, descending: true, limit: FindRequest.maxLimit), for: context.account)
        return list(page.records, request)
    }

    func collections(_ request: Request, _ context: WebContext) async throws -> Response {
        if let everywhere = try everywhere(request) { return try await everywhere.collections(context) }
        let all = try await loopd.call(LoopMethod.collections, NoParams(), for: context.account)
        var text = "{\"count\":\(all.count),\"results\":["
        for (index, summary) in all.enumerated() {
            if index > 0 { text += "," }
            Self.write(summary, to: &text)
        }
        return SoundJSON.response(text + "]}")
    }

    struct NewCollection: Decodable {
        var name: String
        var shared: Bool?
    }

    /// `POST /collections` with `{"name", "shared"?}`: 201 and the collection.
    func create(_ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(NewCollection.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"name\": \"Cart\", \"shared\": false}")
        if let everywhere = try everywhere(request) { return try await everywhere.create(body, context) }
        let summary = try await loopd.call(LoopMethod.collectionCreate, CollectionRequest(name: body.name, shared: body.shared), for: context.account)
        var text = ""
        Self.write(summary, to: &text)
        return SoundJSON.response(text, status: .created)
    }

    /// `GET /collections/{name}`: the collection and its sounds (those the account may read).
    func collection(_ request: Request, _ context: WebContext) async throws -> Response {
        if let everywhere = try everywhere(request) { return try await everywhere.collection(try Self.name(context), request, context) }
        let contents = try await loopd.call(LoopMethod.collectionShow, CollectionRequest(name: try Self.name(context)), for: context.account)
        var text = "{\"collection\":"
        Self.write(contents.collection, to: &text)
        text += ",\"results\":"
        SoundJSON.writeArray(contents.records, base: links.base(of: request), to: &text)
        return SoundJSON.response(text + "}")
    }

    struct Sharing: Decodable {
        var shared: Bool
    }

    /// `PATCH /collections/{name}` with `{"shared": bool}` (writers): shares a collection that
    /// exists, or makes a shared one private to its owner again.
    func share(_ request: Request, _ context: WebContext) async throws -> Response {
        if try everywhere(request) != nil {
            throw APIError(.badRequest, "A collection kept in the shared catalogue is shared by making it again: POST /collections?everywhere=true with its name and \"shared\".")
        }
        let body = try await JSONBody.decode(Sharing.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"shared\": true}")
        let summary = try await loopd.call(LoopMethod.collectionShare, CollectionRequest(name: try Self.name(context), shared: body.shared), for: context.account)
        var text = ""
        Self.write(summary, to: &text)
        return SoundJSON.response(text)
    }

    func delete(_ request: Request, _ context: WebContext) async throws -> Response {
        if let everywhere = try everywhere(request) { return try await everywhere.delete(try Self.name(context), context) }
        _ = try await loopd.call(LoopMethod.collectionDelete, CollectionRequest(name: try Self.name(context)), for: context.account)
        return Response(status: .noContent)
    }

    func change(_ context: WebContext, remove: Bool) async throws -> Response {
        let request = CollectionRequest(name: try Self.name(context), files: FileSelection(ids: [try SoundRoutes.id(context)]))
        let reply = try await loopd.call(remove ? LoopMethod.collectionRemove : LoopMethod.collectionAdd, request, for: context.account)
        return SoundJSON.response("{\"changed\":\(reply.changed)}")
    }

    struct Sounds: Decodable {
        var sounds: [Int64]
    }

    /// Sounds added to a collection by one request, at most: a page of marked rows, with room.
    static let maxSoundsPerRequest = 1000

    /// `POST /collections/{name}/sounds` with `{"sounds": [id]}`: the sounds, in that order, at the
    /// end of the collection (those already in it stay where they are).
    func addMany(_ request: Request, _ context: WebContext) async throws -> Response {
        if try everywhere(request) != nil {
            throw APIError(.badRequest, "Sounds go into a collection in the shared catalogue one by one: PUT /collections/{name}/hosts/{host}/sounds/{id}?everywhere=true.")
        }
        let body = try await JSONBody.decode(Sounds.self, request, maxBytes: Self.maxBodyBytes * 2, shape: "{\"sounds\": [12, 7]}")
        guard (1...Self.maxSoundsPerRequest).contains(body.sounds.count) else {
            throw APIError(.badRequest, "Give 1 to \(Self.maxSoundsPerRequest) sounds to add at once (\(body.sounds.count) given).")
        }
        let change = CollectionRequest(name: try Self.name(context), files: FileSelection(ids: body.sounds))
        let reply = try await loopd.call(LoopMethod.collectionAdd, change, for: context.account)
        return SoundJSON.response("{\"files\":\(reply.files),\"changed\":\(reply.changed)}")
    }

    /// A move's body: sounds by id here, by host and id in the shared catalogue.
    struct Move<Sound: Decodable>: Decodable {
        var sounds: [Sound]
        var before: Sound?
        var toStart: Bool?

        enum CodingKeys: String, CodingKey {
            case sounds, before
            case toStart = "to_start"
        }
    }

    /// `POST /collections/{name}/move` with `{"sounds": [id], "before": id}` or `"to_start": true`
    /// (else to the end): a new order for the collection, as loopd's collection.move.
    func move(_ request: Request, _ context: WebContext) async throws -> Response {
        if let everywhere = try everywhere(request) { return try await everywhere.move(try Self.name(context), request, context) }
        let body = try await JSONBody.decode(Move<Int64>.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"sounds\": [12, 7], \"before\": 3}")
        guard !body.sounds.isEmpty else { throw APIError(.badRequest, "Say which sounds to move: \"sounds\" is empty.") }
        let move = CollectionMoveRequest(name: try Self.name(context), files: FileSelection(ids: body.sounds), before: body.before, toStart: body.toStart)
        let reply = try await loopd.call(LoopMethod.collectionMove, move, for: context.account)
        return SoundJSON.response("{\"changed\":\(reply.changed)}")
    }

    /// `GET /collections/{name}/zip`: every sound of the collection in one ZIP, written as it is sent.
    func zip(_ context: WebContext) async throws -> Response {
        let contents = try await loopd.call(LoopMethod.collectionShow, CollectionRequest(name: try Self.name(context)), for: context.account)
        let records = contents.records.filter { !$0.offline }
        let archiveName = contents.collection.name + ".zip"
        return Response(
            status: .ok,
            headers: [.contentType: "application/zip", .contentDisposition: SoundRoutes.disposition(name: archiveName)],
            body: CollectionZip(records: records).body(pacedBy: context.eventLoop)
        )
    }

    /// The catalogue's routes when the request asks for `everywhere=true`.
    func everywhere(_ request: Request) throws -> CatalogLibraryRoutes? {
        guard request.uri.queryParameters.get("everywhere") == "true" else { return nil }
        guard let catalog else { throw APIError(.notFound, "This server shares no catalogue with other servers (loopweb --catalog).") }
        return catalog
    }

    func list(_ records: [SampleRecord], _ request: Request) -> Response {
        SoundJSON.page(records, count: records.count, next: nil, base: links.base(of: request))
    }

    static func write(_ summary: CollectionSummary, to text: inout String) {
        text += "{\"name\":" + JSONLiteral.string(summary.name) + ",\"owner\":" + JSONLiteral.string(summary.owner)
        text += ",\"shared\":\(summary.shared),\"items\":\(summary.items),\"created\":\(Int64(summary.createdAt))}"
    }

    /// The `{name}` of the path, percent-decoded; 1 to 128 characters.
    static func name(_ context: WebContext) throws -> String {
        guard let raw = context.parameters.get("name"), let name = raw.removingPercentEncoding, (1...128).contains(name.count) else {
            throw APIError(.badRequest, "A collection is named by 1 to 128 characters.")
        }
        return name
    }
}
