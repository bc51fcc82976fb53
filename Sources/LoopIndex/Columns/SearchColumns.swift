import Foundation
import GRDB
import Synchronization

/// The index's search fields held in memory, kept in step with every committed write by
/// `SearchColumnsObserver`, so `find` filters, ranks, pages and counts without walking
/// SQLite's full-text lists (which cost hundreds of milliseconds for a common word at a
/// million rows). SQLite stays the store; records are read from it by id.
///
/// The columns load in the background on the first search (about 7-10 s at a million rows, 0.7 s
/// at 100,000), so opening the index and a restart's scan do not wait for them or share the
/// processors with them; until they are ready `find` runs in SQL.
final class SearchColumns: Sendable {
    private struct State {
        var storage = ColumnStorage()
        var ready = false
        /// Rows committed while loading, read again once the load is in.
        var pending: Set<Int64> = []
    }

    private let state = Mutex(State())
    /// Dead slots tolerated before compacting (when they also outnumber the living).
    private let compactAfter: Int
    private let started = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let loading = DispatchGroup()

    init(compactAfter: Int = 10_000) {
        self.compactAfter = compactAfter
    }

    /// On first call: attaches the observer, then loads every row on a background thread from a
    /// read snapshot taken after it, so no commit is missed (those during the load are read again
    /// at the end). Later calls do nothing.
    func startLoading(_ pool: DatabasePool) {
        guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        loading.enter()
        Thread.detachNewThread { [self] in
            defer { loading.leave() }
            pool.writeWithoutTransaction { db in db.add(transactionObserver: SearchColumnsObserver(columns: self), extent: .databaseLifetime) }
            // The lowest priority (Linux keeps a nice value per thread): at start-up the scan of the
            // roots comes first, and until the load is in, SQL answers the searches.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            // A failed load leaves `find` on SQL, which answers the same.
            guard let loaded = try? pool.read({ db in try load(db) }) else { return }
            try? pool.writeWithoutTransaction { db in
                let pending = state.withLock { state in
                    state.storage = loaded
                    return Array(state.pending)
                }
                try refresh(ids: pending, db, evenIfLoading: true)
                state.withLock { state in
                    state.pending = []
                    state.ready = true
                }
            }
        }
    }

    /// Waits until the load is done (or has failed).
    func waitUntilLoaded() async {
        await withCheckedContinuation { continuation in loading.notify(queue: .global()) { continuation.resume() } }
    }

    /// Stops a load in progress and waits for it; call before closing the database.
    func stopLoading() {
        stopping.store(true, ordering: .relaxed)
        // A load never started must not start now.
        _ = started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        loading.wait()
    }

    private func load(_ db: Database) throws -> ColumnStorage {
        var loaded = ColumnStorage()
        var stopped = false
        try ColumnRow.readAll(try db.makeStatement(sql: ColumnRow.select)) { row in
            if stopped || stopping.load(ordering: .relaxed) {
                stopped = true
                return
            }
            loaded.store(row)
        }
        if stopped { throw CancellationError() }
        return loaded
    }

    /// Reads the given rows again after a commit (ids no longer in `file` are removed);
    /// while loading, only notes them.
    func refresh(ids: [Int64], _ db: Database, evenIfLoading: Bool = false) throws {
        let noted = evenIfLoading ? false : state.withLock { state in
            guard !state.ready else { return false }
            state.pending.formUnion(ids)
            return true
        }
        guard !noted else { return }
        var rows: [ColumnRow] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let statement = try db.makeStatement(sql: ColumnRow.select + " WHERE id IN (\(LibraryData.placeholders(chunk.count)))")
            statement.arguments = StatementArguments(chunk)
            try ColumnRow.readAll(statement) { rows.append($0) }
        }
        let found = Set(rows.map(\.id))
        state.withLock { state in
            for id in ids where !found.contains(id) { state.storage.remove(id: id) }
            for row in rows { state.storage.store(row) }
            state.storage.compactIfWorthwhile(minimumDead: compactAfter)
        }
    }

    /// Stops answering from memory (`find` runs in SQL from now on).
    func abandon() {
        state.withLock { $0.ready = false }
    }

    /// Runs `body` with the columns locked against the writer's refresh; nil while they are loading.
    func read<T>(_ body: (ColumnStorage) throws -> T) throws -> T? {
        try state.withLock { state throws -> T? in
            guard state.ready else { return nil }
            return try body(state.storage)
        }
    }
}

/// Collects the ids of `file` rows a transaction touches and refreshes the columns when it commits.
final class SearchColumnsObserver: TransactionObserver, Sendable {
    private let columns: SearchColumns
    private let changed = Mutex<Set<Int64>>([])

    init(columns: SearchColumns) {
        self.columns = columns
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == "file"
    }

    func databaseDidChange(with event: DatabaseEvent) {
        let id = event.rowID
        changed.withLock { _ = $0.insert(id) }
    }

    func databaseDidCommit(_ db: Database) {
        let ids = changed.withLock { changed in
            defer { changed.removeAll() }
            return Array(changed)
        }
        guard !ids.isEmpty else { return }
        // Columns that missed a commit would answer wrongly: on a failed read, searches go back to SQL.
        do { try columns.refresh(ids: ids, db) } catch { columns.abandon() }
    }

    func databaseDidRollback(_ db: Database) {
        changed.withLock { $0.removeAll() }
    }
}
