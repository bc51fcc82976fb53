import Dispatch
import GRDB
import LoopCore
import Synchronization

/// The library's similarity vectors in memory, in one flat array, so a brute-force nearest
/// search over a million sounds is a single pass. Loaded on the first `similar`, then kept in
/// step with every commit by a `ChangedRowsObserver` (only the touched files are read again), so
/// a search after a write does not wait for a reload.
///
/// Vectors are kept as stored; each dimension's spread over the library (what `SimilaritySpace`
/// scales by) comes from running sums at search time: distances do not depend on the means.
final class SimilarityIndex: Sendable {
    private let copy = FollowedCopy(SimilarityStorage())
    /// Held while loading, so concurrent first searches load once; true once the observer is attached.
    private let loading = Mutex(false)

    /// Loads the vectors unless they are in memory, on a dispatch thread: the load blocks (about
    /// 2 s at a million files) and must not hold up a task thread.
    func loadIfNeeded(_ pool: DatabasePool) async throws {
        guard !copy.isReady else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                do {
                    try self.load(pool)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Attaches the observer first, then reads every vector from a snapshot taken after it, and
    /// reads again the files committed meanwhile.
    private func load(_ pool: DatabasePool) throws {
        try loading.withLock { observing in
            guard !copy.isReady else { return }
            if !observing {
                // A `file` or `similarity` row's rowid is the file's id. A failed refresh takes the
                // vectors out of use until the next search loads them again.
                copy.follow(pool, tables: ["file", "similarity"]) { [self] ids, db in try reread(ids: ids, db) }
                observing = true
            }
            try copy.load(pool, read: { db in
                var storage = SimilarityStorage()
                for entry in try SimilarityReads.vectors(in: db) { storage.store(entry.fileID, entry.vector) }
                return storage
            }, reread: { ids, db in try reread(ids: ids, db) })
        }
    }

    /// Reads the given files' vectors again (files gone, offline or without a vector leave).
    private func reread(ids: [Int64], _ db: Database) throws {
        guard !ids.isEmpty else { return }
        var found: [(fileID: Int64, vector: SimilarityVector)] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            found += try SimilarityReads.vectors(in: db, ids: Array(ids[start..<min(start + 500, ids.count)]))
        }
        let present = Set(found.map(\.fileID))
        copy.update { storage in
            for id in ids where !present.contains(id) { storage.remove(id) }
            for entry in found { storage.store(entry.fileID, entry.vector) }
        }
    }

    /// The `limit` nearest files to `fileID` (among `allowed` when given), nearest first (ties by
    /// id), with distances; nil when `fileID` has no vector or the vectors are not loaded.
    func nearest(to fileID: Int64, allowed: Set<Int64>?, limit: Int) -> [(Int64, Float)]? {
        copy.read { $0.nearest(to: fileID, allowed: allowed, limit: limit) } ?? nil
    }
}
