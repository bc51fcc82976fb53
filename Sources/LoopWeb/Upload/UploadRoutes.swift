import Foundation
import HTTPTypes
import Hummingbird
import LoopAPI
import LoopCore
import LoopFiles

/// `PUT /uploads`: a file's bytes as the request body, placed where `loopctl add` would place it
/// (loopd decides the path: inside a root, never over a file, a name that will be indexed),
/// written under a hidden name, hashed while it arrives, checked, and only then put in place.
struct UploadRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks
    /// The largest body accepted, in bytes.
    let maxBytes: Int64
    /// Bytes one account's uploads may take; nil: no limit.
    var quotaBytes: Int64? = nil

    var placement: UploadPlacement { UploadPlacement(loopd: loopd, quotaBytes: quotaBytes) }

    func add(to group: RouterGroup<WebContext>) {
        group.put("uploads") { request, context in try await upload(request, context) }
        group.post("uploads") { request, context in try await uploadForm(request, context) }
        group.get("uploads/:sha256") { request, context in try await existing(request, context) }
    }

    /// `GET /uploads/{sha256}`: the sound the library already has with these bytes (200), or 404:
    /// a client asks first and sends only what is missing.
    func existing(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let hash = try Self.hash(context.parameters.get("sha256") ?? "", "A content's SHA-256") else { throw APIError(.badRequest, "Name the content by its SHA-256.") }
        let record = try await loopd.call(LoopMethod.get, FileReference(hash: hash), for: context.account)
        var text = ""
        SoundJSON.write(record, base: links.base(of: request), to: &text)
        return SoundJSON.response(text)
    }

    /// `?name=FILE&folder=PATH[&root=NAME]` or take fields (`artist`, `song`, `track`, `version`);
    /// `X-Content-SHA256: HEX` makes the server refuse bytes that differ.
    func upload(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try Self.writer(context)
        let target = try UploadPlacement.Target.from { request.uri.queryParameters.get($0) }
        let expectedHash = try Self.hash(request.headers[HTTPField.Name("X-Content-SHA256")!], "X-Content-SHA256")
        let length = request.headers[.contentLength].flatMap { Int64($0) }
        if let length, length > maxBytes {
            throw APIError(.contentTooLarge, "The file is too large: uploads may have at most \(maxBytes) bytes.")
        }
        let placement = self.placement
        let room = try await placement.requireRoom(length ?? 0, for: account)
        let entry = try await placement.plan(target, in: placement.root(of: target), for: account)
        let outcome = try await receive(request.body, to: entry.path, expectedHash: expectedHash, room: room)
        return created(try await placement.indexed(entry, sha256: outcome.sha256, for: account), request)
    }

    /// `POST /uploads` with `multipart/form-data`: fields first (`folder`, `root`, take fields),
    /// then one or more files. Each file is placed on its own: the reply lists the sounds added and
    /// the files refused with why (201 when any was added).
    func uploadForm(_ request: Request, _ context: WebContext) async throws -> Response {
        let account = try Self.writer(context)
        guard let boundary = try MultipartUpload.boundary(of: request.headers[.contentType]) else {
            throw APIError(.unsupportedMediaType, "Send files as multipart/form-data (or PUT one file's bytes to /uploads?name=).")
        }
        let roots = try await loopd.call(LoopMethod.status, NoParams()).roots.map(\.path)
        let placement = self.placement
        let room = try await placement.remaining(for: account)
        let form = MultipartUpload(roots: roots, maxBytes: maxBytes)
        try await form.read(request.body, boundary: boundary)
        if let room, form.stagedBytes > room {
            form.discard()
            throw APIError(.contentTooLarge, "Over your upload quota: \(room) bytes are left and these files take \(form.stagedBytes). Delete some uploads or ask an admin.")
        }
        let base = links.base(of: request)
        var added: [SampleRecord] = [], refused = "", firstRefusal: APIError?
        for file in form.files {
            do {
                let fields = form.fields.merging(["folder": file.folder ?? ""]) { _, new in new }
                let target = try UploadPlacement.Target.from({ fields[$0] }, name: file.name)
                let root = try UploadRoutes.root(named: target.root, in: roots)
                let record = try await placement.place(staged: file.path, sha256: file.sha256, target: target, root: root, for: account)
                form.placed(file.path)
                added.append(record)
            } catch {
                let refusal = APIError.from(error)
                firstRefusal = firstRefusal ?? refusal
                if !refused.isEmpty { refused += "," }
                refused += "{\"name\":" + JSONLiteral.string(file.name) + ",\"detail\":" + JSONLiteral.string(refusal.detail) + "}"
            }
        }
        form.discard()
        if added.isEmpty, let firstRefusal { throw firstRefusal }
        var text = "{\"count\":\(added.count),\"results\":"
        SoundJSON.writeArray(added, base: base, to: &text)
        return SoundJSON.response(text + ",\"refused\":[\(refused)]}", status: .created)
    }

    /// 201 with the sound and its `Location`.
    func created(_ record: SampleRecord, _ request: Request) -> Response {
        var text = ""
        let base = links.base(of: request)
        SoundJSON.write(record, base: base, to: &text)
        var response = SoundJSON.response(text, status: .created)
        response.headers[.location] = base + "/sounds/\(record.id)"
        return response
    }

    /// The account, when it may upload.
    static func writer(_ context: WebContext) throws -> Account {
        guard let account = context.account, account.role >= .writer else {
            throw APIError(.forbidden, "Not allowed: uploading needs a writer's account.")
        }
        return account
    }

    /// A SHA-256 a client announced, lower-cased; nil when none was.
    static func hash(_ text: String?, _ what: String) throws -> String? {
        guard let text else { return nil }
        guard text.count == 64, text.allSatisfy({ $0.isHexDigit }) else { throw APIError(.badRequest, "\(what) must be 64 hex digits.") }
        return text.lowercased()
    }

    /// The body into the library; nothing is left behind when it is cut short, too large or not what was announced.
    private func receive(_ body: RequestBody, to path: String, expectedHash: String?, room: Int64?) async throws -> VerifiedCopy.Outcome {
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw APIError(.internalServerError, "Cannot create the folder for the file: \((error as NSError).localizedDescription).")
        }
        do {
            let writer = try VerifiedWriter(destination: path)
            for try await buffer in body {
                try buffer.withUnsafeReadableBytes { bytes throws(VerifiedCopyError) in try writer.write(bytes) }
                if writer.bytes > maxBytes { throw APIError(.contentTooLarge, "The file is too large: uploads may have at most \(maxBytes) bytes.") }
                if let room, writer.bytes > room { throw APIError(.contentTooLarge, "Over your upload quota: \(room) bytes are left. Delete some uploads or ask an admin.") }
            }
            return try writer.finish(expectedHash: expectedHash)
        } catch let error as VerifiedCopyError {
            switch error {
            case .destinationExists: throw APIError(.conflict, "A file is already there; an upload never replaces one.")
            case let .contentMismatch(_, expected, actual):
                throw APIError(.badRequest, "The bytes received do not match X-Content-SHA256 (got \(actual.prefix(12))…, announced \(expected.prefix(12))…); nothing was kept.")
            default: throw APIError(.internalServerError, error.description)
            }
        }
    }

    /// A root by its folder's name; with none named, the only root.
    static func root(named name: String?, in roots: [String]) throws -> String {
        guard let name else {
            guard roots.count == 1, let only = roots.first else { throw APIError(.badRequest, "The library has several roots: say which with ?root=NAME.") }
            return only
        }
        guard let root = roots.first(where: { ($0 as NSString).lastPathComponent == name }) else {
            throw APIError(.badRequest, "No library root is named '\(name)'.")
        }
        return root
    }
}
