import Foundation
import GRDB
import LoopAPI

/// The trash: files moved into their root's trash folder, restorable until it is emptied.
extension IndexStore {
    public func addTrashItems(_ items: [TrashItem]) async throws -> [TrashItem] {
        try await pool.write { db in
            try items.map { item in
                try db.execute(
                    sql: "INSERT INTO trashItem (originalPath, trashPath, root, size, hash, trashedAt, trashedBy) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [item.originalPath, item.trashPath, item.root, item.size, item.hash, item.trashedAt, item.trashedBy]
                )
                var kept = item
                kept.id = db.lastInsertedRowID
                return kept
            }
        }
    }

    public func trashItems(olderThan: Double? = nil) async throws -> [TrashItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM trashItem WHERE trashedAt < ? ORDER BY trashedAt DESC, id DESC",
                arguments: [olderThan ?? Double.greatestFiniteMagnitude]
            ).map(Self.trashItem)
        }
    }

    public func trashItems(ids: [Int64]) async throws -> [TrashItem] {
        try await pool.read { db in
            try ids.compactMap { id in try Row.fetchOne(db, sql: "SELECT * FROM trashItem WHERE id = ?", arguments: [id]).map(Self.trashItem) }
        }
    }

    public func forgetTrashItems(ids: [Int64]) async throws -> Int {
        try await pool.write { db in
            var changed = 0
            for id in ids {
                try db.execute(sql: "DELETE FROM trashItem WHERE id = ?", arguments: [id])
                changed += db.changesCount
            }
            return changed
        }
    }

    private static func trashItem(_ row: Row) -> TrashItem {
        TrashItem(
            id: row["id"], originalPath: row["originalPath"], trashPath: row["trashPath"], root: row["root"], size: row["size"],
            hash: row["hash"], trashedAt: row["trashedAt"], trashedBy: row["trashedBy"]
        )
    }
}
