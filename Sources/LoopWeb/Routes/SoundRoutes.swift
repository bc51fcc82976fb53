import Foundation
import Hummingbird
import NIOCore
import LoopAPI
import LoopCore

/// `/sounds`: search, one sound, and its original bytes.
struct SoundRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks
    let signed: SignedLinks
    /// The shared catalogue's search (`everywhere=true`); nil when this server publishes to none.
    var catalog: CatalogSearchRoute?

    /// Results per page unless `page_size` says otherwise, and the most it may say (Freesound's figures).
    static let defaultPageSize = 15
    static let maxPageSize = 150
    static let maxQueryLength = 4096

    func add(to group: RouterGroup<WebContext>) {
        group.get("sounds") { request, context in try await search(request, context) }
        group.get("sounds/:id") { request, context in try await sound(request, context) }
        group.get("sounds/:id/download") { request, context in try await download(request, context, sendBody: true) }
        group.head("sounds/:id/download") { request, context in try await download(request, context, sendBody: false) }
        group.post("sounds/:id/download/link") { request, context in try await link(request, context) }
    }

    /// Served without a login: the link is the permission.
    func addPublic(to group: RouterGroup<WebContext>) {
        group.get("links/:token") { request, context in try await linked(request, context, sendBody: true) }
        group.head("links/:token") { request, context in try await linked(request, context, sendBody: false) }
    }

    /// `POST /sounds/{id}/download/link[?expires_in=SECONDS]`: `{"url", "expires"}`, a link to the
    /// download that works without a login until it expires (an hour by default, a day at most).
    func link(_ request: Request, _ context: WebContext) async throws -> Response {
        let record = try await record(context)
        var lifetime = SignedLinks.defaultLifetime
        if let text = request.uri.queryParameters.get("expires_in") {
            guard let seconds = Int64(text), (1...SignedLinks.maxLifetime).contains(seconds) else {
                throw APIError(.badRequest, "expires_in must be a number of seconds from 1 to \(SignedLinks.maxLifetime).")
            }
            lifetime = seconds
        }
        let expires = Int64(Date().timeIntervalSince1970) + lifetime
        let url = links.base(of: request) + "/links/" + signed.token(id: record.id, expires: expires)
        return SoundJSON.response("{\"url\":" + JSONLiteral.string(url) + ",\"expires\":\(expires)}", status: .created)
    }

    func linked(_ request: Request, _ context: WebContext, sendBody: Bool) async throws -> Response {
        switch signed.check(context.parameters.get("token") ?? "") {
        case let .valid(id): return try await download(request, id: id, for: nil, pacedBy: context.eventLoop, sendBody: sendBody)
        case .expired: throw APIError(.gone, "This download link has expired; ask for a new one.")
        case .invalid: throw APIError(.notFound, "No such download link.")
        }
    }

    /// `GET /sounds?q=&sort=&page_size=&cursor=`: `{count, next, previous, results}`; `next` is the
    /// full URL of the next page (pages follow a cursor, so there is no `previous`, and `count` is null).
    func search(_ request: Request, _ context: WebContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let query = Self.queryText(request)
        guard query.utf8.count <= Self.maxQueryLength else { throw APIError(.badRequest, "The query is too long: at most \(Self.maxQueryLength) bytes.") }
        let pageSize = try Self.pageSize(request)
        let (sort, descending) = try Self.sort(parameters.get("sort"))
        let cursor = parameters.get("cursor")
        let facets = try Self.flag(parameters.get("facets"), "facets")
        let find = FindRequest(
            query: query, sort: sort, descending: descending, cursor: cursor, limit: pageSize,
            halfDoubleTime: try Self.flag(parameters.get("half_double"), "half_double"),
            compatibleKeys: try Self.flag(parameters.get("compatible_keys"), "compatible_keys"),
            facets: facets && cursor == nil
        )
        if try Self.flag(parameters.get("everywhere"), "everywhere") {
            guard let catalog else { throw APIError(.badRequest, "everywhere=true needs a shared catalogue, and this server publishes to none (loopweb --catalog).") }
            return try await catalog.search(request, find: find, query: query, pageSize: pageSize, account: context.account?.name)
        }
        let page = try await loopd.call(LoopMethod.find, find, for: context.account)
        let base = links.base(of: request)
        let next = page.next.map { SoundJSON.nextPage($0, of: request, base: base, query: query, pageSize: pageSize, everywhere: false) }
        return SoundJSON.page(page.records, count: page.facets?.total, next: next, base: base, facets: page.facets)
    }

    /// A yes/no parameter: `true`/`1` or `false`/`0`; absent is no.
    /// `q` as a form encodes it: '+' is a space (`q=bass+bpm:120..128`), '%2B' a plus.
    static func queryText(_ request: Request) -> String {
        for pair in (request.uri.query ?? "").split(separator: "&") where pair.hasPrefix("q=") {
            let raw = pair.dropFirst(2).replacingOccurrences(of: "+", with: " ")
            return raw.removingPercentEncoding ?? raw
        }
        return ""
    }

    static func flag(_ text: String?, _ name: String) throws -> Bool {
        switch text {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw APIError(.badRequest, "\(name) must be true or false.")
        }
    }

    /// Freesound's sort names (see `SearchSort.apiName`); none given is the default order.
    static func sort(_ text: String?) throws -> (SearchSort?, Bool) {
        guard let text, !text.isEmpty else { return (nil, false) }
        guard let parsed = SearchSort.parse(apiName: text) else {
            throw APIError(.badRequest, "'\(text)' is not a sort: use \(SearchSort.apiNames.joined(separator: ", ")), each with _asc or _desc.")
        }
        return (parsed.sort, parsed.descending)
    }

    /// The `{id}` of the path.
    /// `page_size`, 1 to `maxPageSize` (`defaultPageSize` without one).
    static func pageSize(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("page_size") else { return defaultPageSize }
        guard let size = Int(text), (1...maxPageSize).contains(size) else {
            throw APIError(.badRequest, "page_size must be a number from 1 to \(maxPageSize).")
        }
        return size
    }

    static func id(_ context: WebContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError(.badRequest, "A sound is named by its id, a positive number.")
        }
        return id
    }

    func record(_ context: WebContext) async throws -> SampleRecord {
        try await record(id: Self.id(context), for: context.account)
    }

    /// A sound as the account may see it; without one (a signed link, whose signer could), as loopweb sees it.
    func record(id: Int64, for account: Account?) async throws -> SampleRecord {
        let record = try await loopd.call(LoopMethod.get, FileReference(id: id), for: account)
        // A row kept while its file is away is not a sound anyone can have now.
        guard !record.offline else { throw APIError(.notFound, "No such sound: \(id) is not on disk now.") }
        return record
    }

    func sound(_ request: Request, _ context: WebContext) async throws -> Response {
        var text = ""
        SoundJSON.write(try await record(context), base: links.base(of: request), to: &text)
        return SoundJSON.response(text)
    }

    /// The original bytes: a strong `ETag` (the SHA-256 the index holds, sent only while the file
    /// is the one indexed), `Range` with suffix ranges and 416, `If-None-Match`, `If-Range`.
    func download(_ request: Request, _ context: WebContext, sendBody: Bool) async throws -> Response {
        try await download(request, id: Self.id(context), for: context.account, pacedBy: context.eventLoop, sendBody: sendBody)
    }

    func download(_ request: Request, id: Int64, for account: Account?, pacedBy eventLoop: any EventLoop, sendBody: Bool) async throws -> Response {
        try await download(request, record: record(id: id, for: account), pacedBy: eventLoop, sendBody: sendBody)
    }

    func download(_ request: Request, record: SampleRecord, pacedBy eventLoop: any EventLoop, sendBody: Bool) async throws -> Response {
        guard let file = OpenedFile(path: record.path) else { throw APIError(.notFound, "No such sound: \(record.id) cannot be read now.") }
        let headers: HTTPFields = [.contentType: Self.mediaType(record.format), .contentDisposition: Self.disposition(name: (record.path as NSString).lastPathComponent)]
        return try RangedReply.make(request, size: file.size, tag: Self.entityTag(record, file), headers: headers, sendBody: sendBody, body: { file.body($0, pacedBy: eventLoop) })
    }

    /// The SHA-256 the index holds, quoted, while the file is the one indexed (same size and mtime).
    static func entityTag(_ record: SampleRecord, _ file: OpenedFile) -> String? {
        guard file.size == record.size && record.modifiedNs == file.modifiedNs, let hash = record.hash else { return nil }
        return "\"\(hash)\""
    }

    static func mediaType(_ format: AudioFormat?) -> String {
        switch format {
        case .wav: "audio/wav"
        case .aiff: "audio/aiff"
        case .flac: "audio/flac"
        case .ogg: "audio/ogg"
        case .mp3: "audio/mpeg"
        default: "application/octet-stream"
        }
    }

    /// `attachment` with an ASCII name for old clients and the exact name in `filename*` (RFC 6266).
    static func disposition(name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F ? Character($0) : "_" })
        let exact = name.addingPercentEncoding(withAllowedCharacters: .init(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(exact)"
    }
}

/// Entity tags as `If-None-Match` lists them.
enum EntityTag {
    /// Weak comparison, as `If-None-Match` uses: `W/"x"` matches `"x"`; `*` matches any.
    static func matches(_ header: String, _ tag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let candidate = item.trimmingCharacters(in: .whitespaces)
            return candidate == "*" || candidate == tag || candidate == "W/" + tag
        }
    }
}
