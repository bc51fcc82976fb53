import Foundation
import GRDB
import LoopAPI
import LoopCore

/// SQL for what people add to the index: user tags, favourites and collections.
///
/// These rows hang off `file.id`, which survives renames and moves, so they
/// do too. Permission decisions are the daemon's; this layer is told whether
/// the caller may change shared data.
enum LibraryData {
    // MARK: Selecting files

    /// The selected files' ids, in the order given (ids, then paths) or the query's name order.
    /// Ids and paths that name no file are an error, so a typo is not silently ignored.
    static func fileIDs(_ selection: FileSelection, uid: UInt32, in db: Database) throws -> [Int64] {
        if selection.ids != nil || selection.paths != nil {
            var ids: [Int64] = []
            for id in selection.ids ?? [] {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM file WHERE id = ?", arguments: [id]) == true else { throw LibraryDataError.noSuchFile("id \(id)") }
                ids.append(id)
            }
            for path in selection.paths ?? [] {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM file WHERE path = ?", arguments: [path]) else { throw LibraryDataError.noSuchFile(path) }
                ids.append(id)
            }
            var seen = Set<Int64>()
            return ids.filter { seen.insert($0).inserted }
        }
        guard let text = selection.query else { throw LibraryDataError.emptySelection }
        let query = try LibraryQueryParser().parse(text)
        let condition = try compiler(uid: uid, in: db).condition(query)
        return try Int64.fetchAll(
            db, sql: "SELECT id FROM file WHERE missingSince IS NULL AND (\(condition.sql)) ORDER BY lower(relativePath), id",
            arguments: StatementArguments(condition.arguments.map { Optional($0) })
        )
    }

    /// A compiler that resolves `fav:` and `in:` for this user.
    static func compiler(uid: UInt32, halfDoubleTime: Bool = false, compatibleKeys: Bool = false, in db: Database) -> QueryCompiler {
        QueryCompiler(halfDoubleTime: halfDoubleTime, compatibleKeys: compatibleKeys, uid: uid) { name in
            try collection(named: name, uid: uid, in: db)?.id
        }
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    // MARK: Tags

    static func tag(fileIDs ids: [Int64], add: [String], remove: [String], in db: Database) throws -> Int {
        var changed = 0
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO userTag (fileId, tag) VALUES (?, ?)")
        let delete = try db.cachedStatement(sql: "DELETE FROM userTag WHERE fileId = ? AND tag = ?")
        for id in ids {
            for tag in add {
                try insert.execute(arguments: [id, tag])
                changed += db.changesCount
            }
            for tag in remove {
                try delete.execute(arguments: [id, tag])
                changed += db.changesCount
            }
        }
        return changed
    }

    static func tag(folder: String, add: [String], remove: [String], in db: Database) throws -> Int {
        var changed = 0
        for tag in add {
            try db.execute(sql: "INSERT OR IGNORE INTO folderTag (tag, folder) VALUES (?, ?)", arguments: [tag, folder])
            changed += db.changesCount
        }
        for tag in remove {
            try db.execute(sql: "DELETE FROM folderTag WHERE tag = ? AND folder = ?", arguments: [tag, folder])
            changed += db.changesCount
        }
        return changed
    }

    // MARK: Favourites

    static func setFavourite(_ favourite: Bool, fileIDs ids: [Int64], uid: UInt32, timestamp: Double, in db: Database) throws -> Int {
        let statement = favourite
            ? try db.cachedStatement(sql: "INSERT OR IGNORE INTO favourite (uid, fileId, addedAt) VALUES (?, ?, ?)")
            : try db.cachedStatement(sql: "DELETE FROM favourite WHERE uid = ? AND fileId = ?")
        var changed = 0
        for id in ids {
            try statement.execute(arguments: favourite ? [Int64(uid), id, timestamp] : [Int64(uid), id])
            changed += db.changesCount
        }
        return changed
    }

    // MARK: Collections

    static let summarySelect = """
        SELECT id, name, ownerUid, shared, createdAt, (SELECT COUNT(*) FROM collectionItem WHERE collectionId = collection.id) AS items,
            (SELECT name FROM account WHERE webOwnerUid = collection.ownerUid) AS webOwner
        FROM collection
        """

    static func summary(_ row: Row) -> CollectionSummary {
        let owner = UInt32(truncatingIfNeeded: row["ownerUid"] as Int64)
        return CollectionSummary(
            id: row["id"], name: row["name"], owner: row["webOwner"] ?? UnixUsers.name(of: owner), ownerUid: owner,
            shared: row["shared"], items: row["items"], createdAt: row["createdAt"]
        )
    }

    /// The collection a user means by a name: their own first, then one shared by someone else.
    static func collection(named name: String, uid: UInt32, in db: Database) throws -> CollectionSummary? {
        try Row.fetchOne(
            db, sql: summarySelect + " WHERE name = ? COLLATE NOCASE AND (ownerUid = ? OR shared) ORDER BY ownerUid = ? DESC, id LIMIT 1",
            arguments: [name, Int64(uid), Int64(uid)]
        ).map(summary)
    }

    /// Collections the user can see: their own and the shared ones.
    static func collections(uid: UInt32, in db: Database) throws -> [CollectionSummary] {
        try Row.fetchAll(db, sql: summarySelect + " WHERE ownerUid = ? OR shared ORDER BY lower(name), id", arguments: [Int64(uid)]).map(summary)
    }

    static func createCollection(name: String, shared: Bool, uid: UInt32, timestamp: Double, in db: Database) throws -> CollectionSummary {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...128).contains(trimmed.count), !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw LibraryDataError.invalidName(name: name)
        }
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM collection WHERE ownerUid = ? AND name = ? COLLATE NOCASE", arguments: [Int64(uid), trimmed]) == true {
            throw LibraryDataError.collectionExists(name: trimmed)
        }
        try db.execute(
            sql: "INSERT INTO collection (name, ownerUid, shared, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [trimmed, Int64(uid), shared, timestamp]
        )
        let webOwner = try String.fetchOne(db, sql: "SELECT name FROM account WHERE webOwnerUid = ?", arguments: [Int64(uid)])
        return CollectionSummary(
            id: db.lastInsertedRowID, name: trimmed, owner: webOwner ?? UnixUsers.name(of: uid), ownerUid: uid, shared: shared, items: 0, createdAt: timestamp
        )
    }

    /// Whether this user may change the collection: its owner may change a private one; a shared one needs write access.
    static func checkMayChange(_ collection: CollectionSummary, uid: UInt32, mayChangeShared: Bool) throws {
        if collection.shared {
            guard mayChangeShared else {
                throw LibraryDataError.notAllowed(reason: "the collection '\(collection.name)' is shared, and changing shared data needs write access")
            }
        } else {
            guard collection.ownerUid == uid else {
                throw LibraryDataError.notAllowed(reason: "the collection '\(collection.name)' is private to \(collection.owner)")
            }
        }
    }

    static func addItems(_ ids: [Int64], to collection: Int64, in db: Database) throws -> Int {
        var position = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM collectionItem WHERE collectionId = ?", arguments: [collection]) ?? 0
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO collectionItem (collectionId, fileId, position) VALUES (?, ?, ?)")
        var changed = 0
        for id in ids {
            position += 1
            try insert.execute(arguments: [collection, id, position])
            changed += db.changesCount
        }
        return changed
    }

    static func removeItems(_ ids: [Int64], from collection: Int64, in db: Database) throws -> Int {
        let delete = try db.cachedStatement(sql: "DELETE FROM collectionItem WHERE collectionId = ? AND fileId = ?")
        var changed = 0
        for id in ids {
            try delete.execute(arguments: [collection, id])
            changed += db.changesCount
        }
        return changed
    }

    /// Puts the files of `ids` that are in the collection, in that order, just before `before`, at the
    /// start or at the end, and numbers every item's position afresh; returns how many changed place.
    static func moveItems(_ ids: [Int64], before: Int64?, toStart: Bool, in collection: CollectionSummary, db: Database) throws -> Int {
        if before != nil && toStart { throw LibraryDataError.twoPlaces }
        let order = try Int64.fetchAll(db, sql: "SELECT fileId FROM collectionItem WHERE collectionId = ? ORDER BY position, fileId", arguments: [collection.id])
        let arranged: [Int64]
        do {
            arranged = try CollectionOrder.rearranged(order, moving: ids, before: before, toStart: toStart)
        } catch {
            switch error {
            case let .beforeItself(id): throw LibraryDataError.movedBeforeItself(id: id)
            case let .beforeAbsent(id): throw LibraryDataError.notInCollection(id: id, name: collection.name)
            }
        }
        let renumber = try db.cachedStatement(sql: "UPDATE collectionItem SET position = ? WHERE collectionId = ? AND fileId = ?")
        for (index, id) in arranged.enumerated() {
            try renumber.execute(arguments: [Int64(index + 1), collection.id, id])
        }
        return CollectionOrder.changedPlaces(order, arranged)
    }

    static func items(of collection: Int64, in db: Database) throws -> [SampleRecord] {
        try Row.fetchAll(
            db, sql: "SELECT " + IndexReads.recordColumns + " FROM collectionItem JOIN file ON file.id = collectionItem.fileId WHERE collectionId = ? ORDER BY position",
            arguments: [collection]
        ).map(IndexReads.record)
    }

    // MARK: Annotating records

    /// Fills in user tags (the file's and its folders') and the user's favourites.
    static func annotate(_ records: inout [SampleRecord], uid: UInt32, in db: Database) throws {
        guard !records.isEmpty else { return }
        let ids = records.map(\.id)
        var tags: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT fileId, tag FROM userTag WHERE fileId IN (\(placeholders(ids.count)))", arguments: StatementArguments(ids)) {
            tags[row[0], default: []].append(row[1])
        }
        let folderTags = try Row.fetchAll(db, sql: "SELECT folder, tag FROM folderTag").map { (folder: $0[0] as String, tag: $0[1] as String) }
        let favourites = Set(try Int64.fetchAll(
            db, sql: "SELECT fileId FROM favourite WHERE uid = ? AND fileId IN (\(placeholders(ids.count)))",
            arguments: StatementArguments([Int64(uid)] + ids)
        ))
        for index in records.indices {
            var all = tags[records[index].id] ?? []
            for (folder, tag) in folderTags where records[index].path.hasPrefix(folder + "/") { all.append(tag) }
            var seen = Set<String>()
            records[index].tags = all.filter { seen.insert($0.lowercased()).inserted }.sorted { $0.lowercased() < $1.lowercased() }
            records[index].favourite = favourites.contains(records[index].id)
        }
    }
}
