import Foundation
import GRDB
import Synchronization

/// The index's search fields held in memory, kept in step with every committed write by
/// a `ChangedRowsObserver`, so `find` filters, ranks, pages and counts without walking
/// SQLite's full-text lists (which cost hundreds of milliseconds for a common word at a
/// million rows). SQLite stays the store; records are read from it by id.
///
/// The columns load in the background on the first search (about 7-10 s at a million rows, 0.7 s
/// at 100,000), so opening the index and a restart's scan do not wait for them or share the
/// processors with them; until they are ready `find` runs in SQL.
final class SearchColumns: Sendable {
    private let copy = FollowedCopy(ColumnStorage())
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
            // On a failed refresh the columns go out of use and searches go back to SQL.
            copy.follow(pool, tables: ["file"]) { [self] ids, db in try reread(ids: ids, db) }
            // The lowest priority (Linux keeps a nice value per thread): at start-up the scan of the
            // roots comes first, and until the load is in, SQL answers the searches.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            // A failed load leaves `find` on SQL, which answers the same.
            try? copy.load(pool, read: { db in try load(db) }, reread: { ids, db in try reread(ids: ids, db) })
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

    /// Reads the given rows again (ids no longer in `file` are removed).
    private func reread(ids: [Int64], _ db: Database) throws {
        var rows: [ColumnRow] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let statement = try db.makeStatement(sql: ColumnRow.select + " WHERE id IN (\(LibraryData.placeholders(chunk.count)))")
            statement.arguments = StatementArguments(chunk)
            try ColumnRow.readAll(statement) { rows.append($0) }
        }
        let found = Set(rows.map(\.id))
        copy.update { storage in
            for id in ids where !found.contains(id) { storage.remove(id: id) }
            for row in rows { storage.store(row) }
            storage.compactIfWorthwhile(minimumDead: compactAfter)
        }
    }

    /// Runs `body` with the columns locked against the writer's refresh; nil while they are loading.
    func read<T>(_ body: (ColumnStorage) throws -> T) throws -> T? {
        try copy.read(body)
    }
}
