#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPTypes
import LoopCore
import Synchronization

/// A resumable upload: its bytes so far in `<id>.part` and this record in `<id>.json`, both in the
/// staging folder of the root it goes to, so that putting it in place is a hard link.
struct UploadSession: Codable, Sendable {
    var id: String
    var account: String
    var target: UploadPlacement.Target
    var root: String
    var size: Int64
    var sha256: String
    var created: Double

    var folder: String { UploadPlacement.stagingFolder(of: root) }
    var partPath: String { folder + "/" + id + ".part" }
    var recordPath: String { folder + "/" + id + ".json" }

    /// Bytes received so far.
    var offset: Int64 { FileStat.of(partPath).map { Int64($0.size) } ?? 0 }

    /// How long an unfinished upload is kept.
    static let lifetime: Double = 86_400
    /// Unfinished uploads one account may hold.
    static let perAccount = 64

    var expires: Double { created + Self.lifetime }
}

/// The sessions on disk, and which are being written to right now (one request at a time each).
final class UploadSessions: Sendable {
    private let busy = Mutex<Set<String>>([])

    /// A new session's id: 128 random bits in hex (ids name files, so nothing else is accepted).
    static func newID() -> String {
        (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    static func isID(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    func create(_ session: UploadSession) throws {
        do {
            try FileManager.default.createDirectory(atPath: session.folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            try encoder.encode(session).write(to: URL(fileURLWithPath: session.recordPath), options: .withoutOverwriting)
        } catch {
            throw APIError(.internalServerError, "Cannot start the upload: \((error as NSError).localizedDescription).")
        }
        let descriptor = FileName.withCString(session.partPath) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw APIError(.internalServerError, "Cannot start the upload: \(String(cString: strerror(errno))).") }
        close(descriptor)
    }

    /// Every session in these roots' staging folders.
    func all(in roots: [String]) -> [UploadSession] {
        roots.flatMap { root -> [UploadSession] in
            let folder = UploadPlacement.stagingFolder(of: root)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { $0.hasSuffix(".json") }.compactMap { name in
                (try? Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))).flatMap { try? JSONDecoder().decode(UploadSession.self, from: $0) }
            }
        }
    }

    /// The account's session with this id; 404 for anyone else's, as for none.
    func find(_ id: String, account: String, in roots: [String]) throws -> UploadSession {
        guard Self.isID(id) else { throw APIError(.notFound, "No such upload.") }
        for root in roots {
            let path = UploadPlacement.stagingFolder(of: root) + "/" + id + ".json"
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)), let session = try? JSONDecoder().decode(UploadSession.self, from: data) else { continue }
            guard session.account.lowercased() == account.lowercased(), session.id == id else { break }
            return session
        }
        throw APIError(.notFound, "No such upload (it may have been finished, cancelled or expired).")
    }

    func remove(_ session: UploadSession) {
        _ = FileName.withCString(session.partPath) { unlink($0) }
        _ = FileName.withCString(session.recordPath) { unlink($0) }
    }

    /// Removes the unfinished uploads older than their lifetime; returns how many.
    func sweep(in roots: [String], now: Double = Date().timeIntervalSince1970) -> Int {
        let stale = all(in: roots).filter { $0.expires < now }
        for session in stale { remove(session) }
        return stale.count
    }

    /// Marks a session as being written; false when another request is writing it.
    func begin(_ id: String) -> Bool {
        busy.withLock { $0.insert(id).inserted }
    }

    func end(_ id: String) {
        _ = busy.withLock { $0.remove(id) }
    }
}
