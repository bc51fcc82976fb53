import GRDB
import Synchronization

/// The index's search fields held in memory, kept in step with every committed write by
/// `SearchColumnsObserver`, so `find` filters, ranks, pages and counts without walking
/// SQLite's full-text lists (which cost hundreds of milliseconds for a common word at a
/// million rows). SQLite stays the store; records are read from it by id.
final class SearchColumns: Sendable {
    private let storage = Mutex(ColumnStorage())

    /// Reads every row; call before the observer is attached, on the writer.
    func loadAll(_ db: Database) throws {
        var loaded = ColumnStorage()
        try ColumnRow.readAll(try db.makeStatement(sql: ColumnRow.select)) { loaded.store($0) }
        storage.withLock { $0 = loaded }
    }

    /// Reads the given rows again after a commit; ids no longer in `file` are removed.
    func refresh(ids: [Int64], _ db: Database) throws {
        var rows: [ColumnRow] = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let statement = try db.makeStatement(sql: ColumnRow.select + " WHERE id IN (\(LibraryData.placeholders(chunk.count)))")
            statement.arguments = StatementArguments(chunk)
            try ColumnRow.readAll(statement) { rows.append($0) }
        }
        let found = Set(rows.map(\.id))
        storage.withLock { storage in
            for id in ids where !found.contains(id) { storage.remove(id: id) }
            for row in rows { storage.store(row) }
            storage.compactIfWorthwhile()
        }
    }

    func read<T>(_ body: (ColumnStorage) throws -> T) rethrows -> T {
        try storage.withLock { try body($0) }
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
        // A read failing here would leave the columns stale; reading them all again recovers.
        do { try columns.refresh(ids: ids, db) } catch { try? columns.loadAll(db) }
    }

    func databaseDidRollback(_ db: Database) {
        changed.withLock { $0.removeAll() }
    }
}
