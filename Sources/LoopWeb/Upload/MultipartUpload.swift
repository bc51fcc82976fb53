import Foundation
import HTTPTypes
import Hummingbird
import LoopCore
import LoopFiles
import MultipartKit
import NIOCore

/// A `multipart/form-data` body (an HTML form, `curl -F`), read as it arrives: fields (`folder`,
/// `root`, take fields) and then files, each written to the root's staging folder and hashed on
/// the way. A file's name may carry a relative folder (a browser's folder upload), kept below
/// `folder`.
final class MultipartUpload {
    struct StagedFile {
        var name: String
        var folder: String?
        var path: String
        var sha256: String
    }

    private(set) var fields: [String: String] = [:]
    private(set) var files: [StagedFile] = []
    /// Bytes of the files staged.
    private(set) var stagedBytes: Int64 = 0
    private var headers: [String: String] = [:]
    private var writer: VerifiedWriter?
    private var field: (name: String, value: [UInt8])?
    private var inBody = false
    private var bytesSinceBody = 0
    private var failure: APIError?
    private let roots: [String]
    private let maxBytes: Int64

    static let maxFiles = 1_000
    static let maxFieldBytes = 4_096
    /// Bytes of part headers (and boundaries) allowed between two bodies.
    static let maxHeaderBytes = 65_536
    static let fieldNames: Set<String> = ["folder", "root", "artist", "song", "track", "version"]

    init(roots: [String], maxBytes: Int64) {
        self.roots = roots
        self.maxBytes = maxBytes
    }

    deinit { discard() }

    /// The boundary of a `multipart/form-data` content type; nil for another type.
    static func boundary(of contentType: String?) throws -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let boundary = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard (1...70).contains(boundary.utf8.count) else { break }
            return boundary
        }
        throw APIError(.badRequest, "A multipart body needs a boundary of 1 to 70 characters in its Content-Type.")
    }

    func read(_ body: RequestBody, boundary: String) async throws {
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in
            headers[name.lowercased()] = value
        }
        parser.onBody = { [unowned self] buffer in
            guard failure == nil else { return }
            if !inBody { failure = startPart() }
            inBody = true
            bytesSinceBody = 0
            guard failure == nil else { return }
            failure = take(buffer.readableBytesView)
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        parser.onPartComplete = { [unowned self] in
            if failure == nil { failure = finishPart() }
            headers = [:]
            inBody = false
        }
        for try await buffer in body {
            bytesSinceBody += buffer.readableBytes
            do {
                try parser.execute(buffer)
            } catch {
                throw APIError(.badRequest, "The multipart body is malformed; nothing was kept.")
            }
            if let failure { throw failure }
            if !inBody, bytesSinceBody > Self.maxHeaderBytes {
                throw APIError(.badRequest, "A part's headers are too large; nothing was kept.")
            }
        }
        if writer != nil || field != nil || inBody { throw APIError(.badRequest, "The multipart body ends in the middle of a part; nothing was kept.") }
        guard !files.isEmpty else { throw APIError(.badRequest, "Send at least one file (a part with a filename).") }
    }

    /// Removes what was staged and not placed.
    func discard() {
        writer = nil
        for file in files { _ = FileName.withCString(file.path) { unlink($0) } }
        files = []
    }

    /// Forgets a staged file once it has its place.
    func placed(_ path: String) {
        files.removeAll { $0.path == path }
    }

    private func startPart() -> APIError? {
        let disposition = ContentDisposition(headers["content-disposition"] ?? "")
        guard let name = disposition.parameters["name"] else { return APIError(.badRequest, "Each part needs a Content-Disposition with a name.") }
        guard let filename = disposition.parameters["filename"] else {
            guard Self.fieldNames.contains(name) else { return APIError(.badRequest, "Unknown field '\(name)': send folder, root, artist, song, track, version and files.") }
            field = (name, [])
            return nil
        }
        guard files.count < Self.maxFiles else { return APIError(.badRequest, "At most \(Self.maxFiles) files per request.") }
        let root: String
        do { root = try UploadRoutes.root(named: fields["root"], in: roots) } catch { return error as? APIError }
        let folder = UploadPlacement.stagingFolder(of: root)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            writer = try VerifiedWriter(destination: folder + "/" + UploadSessions.newID() + ".upload")
        } catch {
            return APIError(.internalServerError, "Cannot write the upload: \(error).")
        }
        field = nil
        headers["filename"] = filename
        return nil
    }

    private func take(_ bytes: ByteBufferView) -> APIError? {
        if var current = field {
            guard current.value.count + bytes.count <= Self.maxFieldBytes else { return APIError(.badRequest, "The field '\(current.name)' is too long.") }
            current.value += bytes
            field = current
            return nil
        }
        guard let writer else { return nil }
        var failed: VerifiedCopyError?
        bytes.withUnsafeBytes { chunk in
            do throws(VerifiedCopyError) { try writer.write(chunk) } catch { failed = error }
        }
        if let failed { return APIError(.internalServerError, "Cannot write the upload: \(failed.description).") }
        if writer.bytes > maxBytes { return APIError(.contentTooLarge, "A file is too large: uploads may have at most \(maxBytes) bytes.") }
        return nil
    }

    private func finishPart() -> APIError? {
        if let current = field {
            fields[current.name] = String(decoding: current.value, as: UTF8.self)
            field = nil
            return nil
        }
        guard let writer, let filename = headers["filename"] else { return nil }
        self.writer = nil
        do {
            let outcome = try writer.finish(expectedHash: nil)
            // "Drums/Kick.wav" from a folder upload: the folder goes below the form's folder.
            var parts = filename.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            let name = parts.popLast() ?? filename
            guard !parts.contains(where: { $0 == ".." || $0 == "." }) else { return APIError(.badRequest, "A file's relative folder may not contain '.' or '..'.") }
            let base = fields["folder"] ?? ""
            let folder = parts.isEmpty ? fields["folder"] : ([base].filter { !$0.isEmpty } + parts).joined(separator: "/")
            files.append(StagedFile(name: name, folder: folder, path: writer.destination, sha256: outcome.sha256))
            stagedBytes += outcome.bytes
            return nil
        } catch {
            return APIError(.internalServerError, "Cannot write the upload: \(error.description).")
        }
    }
}

/// `Content-Disposition: form-data; name="file"; filename="Kick.wav"`, its parameters by name.
struct ContentDisposition {
    var parameters: [String: String] = [:]

    init(_ text: String) {
        var rest = Substring(text)
        // The disposition type comes first.
        guard let semicolon = rest.firstIndex(of: ";") else { return }
        rest = rest[rest.index(after: semicolon)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { return }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(character); escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { break } else { value.append(character) }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            parameters[key] = value
        }
    }
}
