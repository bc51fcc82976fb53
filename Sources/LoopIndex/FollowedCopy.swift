import GRDB
import Synchronization

/// An in-memory copy of part of the index that follows every commit (with a
/// `ChangedRowsObserver`): loaded once from a read snapshot taken after the
/// observer is attached; rows committed while it loads are noted and read
/// again when it is installed, so no commit is missed.
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

    /// Notes rows committed while the copy is not ready; true when noted (nothing else to do).
    func noteUnlessReady(_ ids: [Int64]) -> Bool {
        state.withLock { state in
            guard !state.ready else { return false }
            state.pending.formUnion(ids)
            return true
        }
    }

    /// Installs a loaded copy, has `reread` read again the rows committed meanwhile (on the
    /// writer's connection `db`, so no commit slips between), then marks the copy ready.
    func install(_ loaded: Storage, _ db: Database, reread: ([Int64], Database) throws -> Void) throws {
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
    func abandon() {
        state.withLock { state in
            state.ready = false
            state.pending = []
        }
    }
}
