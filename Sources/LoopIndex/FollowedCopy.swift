import GRDB
import Synchronization

/// An in-memory copy of part of the index that follows every commit: `follow`
/// attaches a `ChangedRowsObserver`, then `load` reads the copy from a snapshot
/// taken after it; rows committed while it loads are noted and read again when
/// it is installed, so no commit is missed.
final class FollowedCopy<Storage: Sendable>: Sendable {
    private struct State {
        var storage: Storage
        var ready = false
        /// Rows committed while loading, read again once the load is in.
        var pending: Set<Int64> = []
    }

    private let state: Mutex<State>

    init(_ empty: Storage) {
        state = Mutex(State(storage: empty))
    }

    var isReady: Bool { state.withLock { $0.ready } }

    /// Attaches the observer that keeps the copy in step: once the copy is ready, each commit's rows
    /// go to `reread` on the writer's connection; before, they are noted for `load` to read again. A
    /// failed `reread` takes the copy out of use, since one that missed a commit would answer wrongly.
    func follow(_ pool: DatabasePool, tables: Set<String>, reread: @escaping @Sendable ([Int64], Database) throws -> Void) {
        let observer = ChangedRowsObserver(tables: tables, refresh: { [self] ids, db in
            guard !noteUnlessReady(ids) else { return }
            try reread(ids, db)
        }, failed: { [self] in abandon() })
        pool.writeWithoutTransaction { db in db.add(transactionObserver: observer, extent: .databaseLifetime) }
    }

    /// Loads the copy with `read` from a snapshot taken now (after `follow`), installs it, has
    /// `reread` read again the rows committed meanwhile (on the writer's connection, so no commit
    /// slips between), then marks the copy ready.
    func load(_ pool: DatabasePool, read: (Database) throws -> Storage, reread: ([Int64], Database) throws -> Void) throws {
        let loaded = try pool.read(read)
        try pool.writeWithoutTransaction { db in
            let pending = state.withLock { state in
                state.storage = loaded
                return Array(state.pending)
            }
            try reread(pending, db)
            state.withLock { state in
                state.pending = []
                state.ready = true
            }
        }
    }

    /// Notes rows committed while the copy is not ready; true when noted (nothing else to do).
    private func noteUnlessReady(_ ids: [Int64]) -> Bool {
        state.withLock { state in
            guard !state.ready else { return false }
            state.pending.formUnion(ids)
            return true
        }
    }

    /// Changes the copy under its lock (the writer's refresh).
    func update<T>(_ body: (inout Storage) throws -> T) rethrows -> T {
        try state.withLock { state in try body(&state.storage) }
    }

    /// Runs `body` with the copy locked against the writer's refresh; nil while it is not ready.
    func read<T>(_ body: (Storage) throws -> T) rethrows -> T? {
        try state.withLock { state throws -> T? in
            guard state.ready else { return nil }
            return try body(state.storage)
        }
    }

    /// Stops answering from the copy until it is loaded again.
    private func abandon() {
        state.withLock { state in
            state.ready = false
            state.pending = []
        }
    }
}
