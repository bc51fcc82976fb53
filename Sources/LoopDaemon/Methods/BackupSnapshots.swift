#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopIndex
import LoopRPC
import Synchronization

/// Copies of the index made for `backup`, kept in `<state>/backups/` until the
/// caller has read them: loopd never writes a backup where the caller names,
/// so a backup cannot reach what the caller could not write (another user's
/// file, a library root, loopd's own state). The caller's `loopctl` reads the
/// copy over the socket and writes the file with the caller's own rights.
final class BackupSnapshots: Sendable {
    private struct Snapshot {
        var path: String
        var uid: UInt32
        var bytes: Int64
        var created: ContinuousClock.Instant
    }

    /// Copies kept at once; starting another drops the oldest.
    static let maxKept = 4
    /// A copy nobody finished is dropped after this.
    static let lifetime: Duration = .seconds(3600)

    private let folder: String
    private let store: IndexStore
    private let snapshots = Mutex([String: Snapshot]())

    /// Empties the folder: copies from an earlier run are nobody's now.
    init(stateDirectory: String, store: IndexStore) {
        folder = stateDirectory + "/backups"
        self.store = store
        try? FileManager.default.removeItem(atPath: folder)
        mkdir(folder, 0o700)
    }

    func create(for uid: UInt32) async throws -> BackupSnapshot {
        var random = SystemRandomNumberGenerator()
        let token = (0..<2).map { _ in String(random.next(), radix: 16).leftPadded(to: 16) }.joined()
        let path = folder + "/" + token + ".sqlite"
        let dropped = snapshots.withLock { snapshots -> [String] in
            let now = ContinuousClock.now
            var dropped = snapshots.filter { $0.value.uid == uid || now - $0.value.created > Self.lifetime }.map(\.key)
            let remaining = snapshots.filter { !dropped.contains($0.key) }.sorted { $0.value.created < $1.value.created }
            dropped += remaining.prefix(max(0, remaining.count - (Self.maxKept - 1))).map(\.key)
            for token in dropped { snapshots[token] = nil }
            return dropped
        }
        for old in dropped { unlink(folder + "/" + old + ".sqlite") }
        let bytes: Int64
        let hash: String
        do {
            bytes = try await store.backup(to: path)
            hash = try ContentHasher.sha256(path: path)
        } catch {
            unlink(path)
            throw RPCError(.indexFailure, "Backup failed: loopd could not copy the index into \(folder): \(error).")
        }
        snapshots.withLock { $0[token] = Snapshot(path: path, uid: uid, bytes: bytes, created: .now) }
        return BackupSnapshot(token: token, bytes: bytes, sha256: hash)
    }

    func read(_ request: BackupReadRequest, uid: UInt32) throws(RPCError) -> BackupChunk {
        let snapshot = try owned(request.token, uid: uid)
        guard (1...BackupReadRequest.maxLength).contains(request.length), request.offset >= 0 else {
            throw RPCError(.invalidParams, "Invalid params: 'length' must be 1 to \(BackupReadRequest.maxLength) and 'offset' at least 0.")
        }
        let fd = open(snapshot.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RPCError(.indexFailure, "Backup failed: the copy cannot be read: \(String(cString: strerror(errno))).") }
        defer { close(fd) }
        let length = Int(min(Int64(request.length), max(0, snapshot.bytes - request.offset)))
        var bytes = [UInt8](repeating: 0, count: length)
        var done = 0
        while done < length {
            let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress.map { $0 + done }, length - done, off_t(request.offset) + off_t(done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw RPCError(.indexFailure, "Backup failed: the copy ended early or could not be read.") }
            done += got
        }
        return BackupChunk(data: Data(bytes))
    }

    func finish(_ token: String, uid: UInt32) throws(RPCError) {
        let snapshot = try owned(token, uid: uid)
        snapshots.withLock { $0[token] = nil }
        unlink(snapshot.path)
    }

    private func owned(_ token: String, uid: UInt32) throws(RPCError) -> Snapshot {
        guard let snapshot = snapshots.withLock({ $0[token] }), snapshot.uid == uid else {
            throw RPCError(.noSuchFile, "No backup copy of that name is yours: start one with 'backup' (copies are dropped after an hour).")
        }
        return snapshot
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
