import GRDB
import LoopAPI

/// The change log the triggers of migration v13 write: what `subscribe` sends.
extension IndexStore {
    /// The newest sequence number, and the oldest still kept (nil when none is).
    public func changeBounds() async throws -> (oldest: Int64?, latest: Int64) {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT MIN(sequence), MAX(sequence) FROM changeLog")
            // The counter outlives pruning: sqlite_sequence holds the last number ever given.
            let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changeLog'") ?? 0
            return (row?[0], max(row?[1] ?? 0, counter))
        }
    }

    /// Up to `limit` changes after `sequence`, in order, with each file's path now (nil for a
    /// removal, or when the row has gone since).
    public func changes(after sequence: Int64, limit: Int) async throws -> [LibraryChange] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.sequence, c.kind, c.fileId, CASE WHEN c.kind = 'removed' OR f.missingSince IS NOT NULL THEN NULL ELSE f.path END, c.at
                    FROM changeLog c LEFT JOIN file f ON f.id = c.fileId
                    WHERE c.sequence > ? ORDER BY c.sequence LIMIT ?
                    """,
                arguments: [sequence, limit]
            ).compactMap { row in
                guard let kind = LibraryChange.Kind(rawValue: row[1]) else { return nil }
                return LibraryChange(sequence: row[0], kind: kind, id: row[2], path: row[3], at: row[4])
            }
        }
    }
}
