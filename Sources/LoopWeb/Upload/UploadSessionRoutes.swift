#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPTypes
import Hummingbird
import LoopAPI
import LoopCore
import LoopFiles
import NIOPosix

/// Resumable uploads, for files larger than a proxy lets through in one request (Cloudflare stops
/// at 100 MB) and connections that drop: `POST /uploads/sessions` announces the file (its size and
/// SHA-256), `PATCH /uploads/sessions/{id}` with `Upload-Offset: N` appends the bytes from N,
/// `HEAD`/`GET` tell how many arrived, `DELETE` gives up. The last piece checks the whole file
/// against its SHA-256 and puts it in the library as `PUT /uploads` does.
struct UploadSessionRoutes: Sendable {
    let loopd: LoopdGateway
    let uploads: UploadRoutes
    let sessions: UploadSessions

    static let offsetHeader = HTTPField.Name("Upload-Offset")!

    func add(to group: RouterGroup<WebContext>) {
        group.post("uploads/sessions") { request, context in try await start(request, context) }
        group.get("uploads/sessions/:session") { request, context in try await show(request, context) }
        group.head("uploads/sessions/:session") { request, context in try await show(request, context) }
        group.patch("uploads/sessions/:session") { request, context in try await append(request, context) }
        group.delete("uploads/sessions/:session") { _, context in try await cancel(context) }
    }

    /// `{"name", "size", "sha256"}` and where the file goes (`folder` and `root`, or take fields).
    struct Announcement: Decodable {
        var target: UploadPlacement.Target
        var size: Int64
        var sha256: String

        private enum Keys: String, CodingKey { case size, sha256 }

        init(from decoder: any Decoder) throws {
            target = try UploadPlacement.Target(from: decoder)
            let container = try decoder.container(keyedBy: Keys.self)
            size = try container.decode(Int64.self, forKey: .size)
            sha256 = try container.decode(String.self, forKey: .sha256)
        }
    }

    func start(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try UploadRoutes.writer(context)
        let announced = try await JSONBody.decode(Announcement.self, request, maxBytes: 16_384, shape: "{\"name\", \"size\", \"sha256\", and \"folder\" or take fields}")
        let target = try announced.target.validated()
        guard let sha256 = try UploadRoutes.hash(announced.sha256, "sha256") else { throw APIError(.badRequest, "Say the file's SHA-256.") }
        guard announced.size >= 0 else { throw APIError(.badRequest, "size must be the file's size in bytes.") }
        guard announced.size <= uploads.maxBytes else {
            throw APIError(.contentTooLarge, "The file is too large: uploads may have at most \(uploads.maxBytes) bytes.")
        }
        let placement = uploads.placement
        try await placement.requireRoom(announced.size, for: account)
        let root = try await placement.root(of: target)
        // Refused now rather than after the bytes: a bad name, a file already there.
        _ = try await placement.plan(target, in: root, for: account)
        let roots = try await self.roots()
        guard sessions.all(in: roots).filter({ $0.account.lowercased() == account.name.lowercased() }).count < UploadSession.perAccount else {
            throw APIError(.tooManyRequests, "Too many unfinished uploads: finish or cancel some (an account may hold \(UploadSession.perAccount)).")
        }
        let session = UploadSession(
            id: UploadSessions.newID(), account: account.name, target: target, root: root, size: announced.size, sha256: sha256,
            created: Date().timeIntervalSince1970
        )
        try sessions.create(session)
        var response = reply(session, request, offset: 0, status: .created)
        response.headers[.location] = uploads.links.base(of: request) + "/uploads/sessions/" + session.id
        return response
    }

    func show(_ request: Request, _ context: WebContext) async throws -> Response {
        let session = try await find(context)
        return reply(session, request, offset: session.offset)
    }

    func cancel(_ context: WebContext) async throws -> Response {
        let session = try await find(context)
        guard sessions.begin(session.id) else { throw APIError(.conflict, "Another request is writing this upload now.") }
        defer { sessions.end(session.id) }
        sessions.remove(session)
        return Response(status: .noContent)
    }

    func append(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try UploadRoutes.writer(context)
        let session = try await find(context)
        guard let text = request.headers[Self.offsetHeader], let offset = Int64(text), offset >= 0 else {
            throw APIError(.badRequest, "Say where these bytes start: Upload-Offset: N (HEAD the upload to learn N).")
        }
        guard sessions.begin(session.id) else { throw APIError(.conflict, "Another request is writing this upload now.") }
        defer { sessions.end(session.id) }
        let received = try await write(request.body, to: session, at: offset)
        guard received == session.size else { return reply(session, request, offset: received) }
        let path = session.partPath
        let sha256 = try await NIOThreadPool.singleton.runIfActive { try ContentHasher.sha256(path: path) }
        guard sha256 == session.sha256 else {
            sessions.remove(session)
            throw APIError(.badRequest, "The file received does not match its SHA-256 (got \(sha256.prefix(12))…, announced \(session.sha256.prefix(12))…); nothing was kept.")
        }
        // Other uploads may have used the room since this one began.
        do {
            try await uploads.placement.requireRoom(session.size, for: account)
        } catch {
            sessions.remove(session)
            throw error
        }
        let record = try await uploads.placement.place(staged: path, sha256: sha256, target: session.target, root: session.root, for: account)
        sessions.remove(session)
        return uploads.created(record, request)
    }

    /// Appends the body at `offset` (which must be what arrived so far); returns the bytes held now.
    /// A body cut short keeps what arrived: the client resumes from there.
    private func write(_ body: RequestBody, to session: UploadSession, at offset: Int64) async throws -> Int64 {
        let descriptor = FileName.withCString(session.partPath) { open($0, O_WRONLY | O_APPEND | O_CLOEXEC) }
        guard descriptor >= 0 else { throw APIError(.notFound, "No such upload (it may have been cancelled).") }
        defer { close(descriptor) }
        var received = FileStat.of(descriptor: descriptor).map { Int64($0.size) } ?? 0
        guard received == offset else {
            throw APIError(.conflict, "These bytes start at \(offset), but \(received) have arrived: send from there.", headers: [Self.offsetHeader: String(received)])
        }
        for try await buffer in body {
            guard received + Int64(buffer.readableBytes) <= session.size else {
                // A request that brings too much is refused whole: the upload is as it was before it.
                _ = ftruncate(descriptor, off_t(offset))
                throw APIError(.contentTooLarge, "More bytes than announced: the file has \(session.size).", headers: [Self.offsetHeader: String(offset)])
            }
            let written = buffer.withUnsafeReadableBytes { bytes in FileWriting.writeAll(descriptor, bytes) }
            guard written else { throw APIError(.internalServerError, "Cannot write the upload: \(String(cString: strerror(errno))).") }
            received += Int64(buffer.readableBytes)
        }
        if received == session.size { _ = fsync(descriptor) }
        return received
    }

    private func find(_ context: WebContext) async throws -> UploadSession {
        guard let account = context.account else { throw APIError.unauthorized("Log in to upload.") }
        return try sessions.find(context.parameters.get("session") ?? "", account: account.name, in: try await roots())
    }

    private func roots() async throws -> [String] {
        try await loopd.call(LoopMethod.status, NoParams()).roots.map(\.path)
    }

    private func reply(_ session: UploadSession, _ request: Request, offset: Int64, status: HTTPResponse.Status = .ok) -> Response {
        let url = uploads.links.base(of: request) + "/uploads/sessions/" + session.id
        var response = SoundJSON.response(
            "{\"id\":\"\(session.id)\",\"url\":" + JSONLiteral.string(url) + ",\"offset\":\(offset),\"size\":\(session.size),\"expires\":\(Int64(session.expires))}",
            status: status
        )
        response.headers[Self.offsetHeader] = String(offset)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
