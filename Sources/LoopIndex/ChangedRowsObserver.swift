import GRDB
import Synchronization

/// Collects the rowids a transaction touches in some tables and hands them to `refresh` when it
/// commits, on the writer's connection: how the in-memory copies of the index (search columns,
/// similarity vectors) follow every write. A copy that fails to refresh is told by `failed`,
/// since one that missed a commit would answer wrongly.
final class ChangedRowsObserver: TransactionObserver, Sendable {
    private let tables: Set<String>
    private let refresh: @Sendable ([Int64], Database) throws -> Void
    private let failed: @Sendable () -> Void
    private let changed = Mutex<Set<Int64>>([])

    init(tables: Set<String>, refresh: @escaping @Sendable ([Int64], Database) throws -> Void, failed: @escaping @Sendable () -> Void) {
        self.tables = tables
        self.refresh = refresh
        self.failed = failed
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        tables.contains(eventKind.tableName)
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
        do { try refresh(ids, db) } catch { failed() }
    }

    func databaseDidRollback(_ db: Database) {
        changed.withLock { $0.removeAll() }
    }
}
