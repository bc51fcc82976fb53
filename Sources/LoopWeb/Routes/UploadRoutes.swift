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

    func add(to group: RouterGroup<WebContext>) {
        group.put("uploads") { request, context in try await upload(request, context) }
        group.get("uploads/:sha256") { request, context in try await existing(request, context) }
    }

    /// `GET /uploads/{sha256}`: the sound the library already has with these bytes (200), or 404:
    /// a client asks first and sends only what is missing.
    func existing(_ request: Request, _ context: WebContext) async throws -> Response {
        let hash = (context.parameters.get("sha256") ?? "").lowercased()
        guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit }) else { throw APIError(.badRequest, "Name the content by its SHA-256: 64 hex digits.") }
        let record = try await loopd.call(LoopMethod.get, FileReference(hash: hash), for: context.account)
        var text = ""
        SoundJSON.write(record, base: links.base(of: request), to: &text)
        return SoundJSON.response(text)
    }

    /// `?name=FILE&folder=PATH[&root=NAME]` or take fields (`artist`, `song`, `track`, `version`);
    /// `X-Content-SHA256: HEX` makes the server refuse bytes that differ.
    func upload(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let account = context.account, account.role >= .writer else {
            throw APIError(.forbidden, "Not allowed: uploading needs a writer's account.")
        }
        let parameters = request.uri.queryParameters
        guard let name = parameters.get("name"), !name.isEmpty else { throw APIError(.badRequest, "Say the file's name: ?name=Kick.wav.") }
        let expectedHash = request.headers[HTTPField.Name("X-Content-SHA256")!]?.lowercased()
        if let expectedHash, expectedHash.count != 64 || !expectedHash.allSatisfy({ $0.isHexDigit }) {
            throw APIError(.badRequest, "X-Content-SHA256 must be 64 hex digits.")
        }
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > maxBytes {
            throw APIError(.contentTooLarge, "The file is too large: uploads may have at most \(maxBytes) bytes.")
        }
        var add = AddRequest(files: [AddRequest.File(name: name)])
        let take = TakeFields(artist: parameters.get("artist"), song: parameters.get("song"), track: parameters.get("track"), version: parameters.get("version"))
        let roots = try await loopd.call(LoopMethod.status, NoParams()).roots.map(\.path)
        if take.song != nil {
            add.take = take
            add.root = try parameters.get("root").map { try Self.root(named: $0, in: roots) }
        } else {
            let root = try Self.root(named: parameters.get("root"), in: roots)
            let folder = parameters.get("folder") ?? ""
            add.folder = folder.isEmpty ? root : (root == "/" ? "" : root) + "/" + folder
        }
        let plan = try await loopd.call(LoopMethod.addPrepare, add, for: account)
        guard let entry = plan.entries.first else { throw APIError(.internalServerError, "loopd planned no place for the file.") }
        let outcome = try await receive(request.body, to: entry.path, expectedHash: expectedHash)
        _ = try await loopd.call(LoopMethod.sync, NoParams())
        let records = try await loopd.call(LoopMethod.addComplete, plan, for: account)
        guard let record = records.first else {
            throw APIError(.internalServerError, "The file was written to the library but is not in the index (see loopd's log).")
        }
        guard record.hash == outcome.sha256 else {
            throw APIError(.conflict, "The file was indexed with other bytes than were sent (it changed meanwhile).")
        }
        var text = ""
        let base = links.base(of: request)
        SoundJSON.write(record, base: base, to: &text)
        var response = SoundJSON.response(text, status: .created)
        response.headers[.location] = base + "/sounds/\(record.id)"
        return response
    }

    /// The body into the library; nothing is left behind when it is cut short, too large or not what was announced.
    private func receive(_ body: RequestBody, to path: String, expectedHash: String?) async throws -> VerifiedCopy.Outcome {
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
