import Foundation
import GRDB
import LoopAPI
import LoopCore
import Synchronization

/// User data: tags, favourites, collections, names given at upload, and backups.
///
/// These writes go straight to the database rather than through the
/// daemon's index writer: they are small, touch only their own tables (and
/// `originalName`), and SQLite serialises them with the writer's batches.
extension IndexStore {
    /// A write of user data, counted as a change so views and caches follow it.
    func libraryWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        defer { generation.add(1, ordering: .releasing) }
        return try await pool.write(body)
    }

    /// Adds and removes user tags on the selected files.
    public func tag(_ selection: FileSelection, add: [String], remove: [String], uid: UInt32) async throws -> ChangeReply {
        try await libraryWrite { db in
            let ids = try LibraryData.fileIDs(selection, uid: uid, in: db)
            return ChangeReply(files: ids.count, changed: try LibraryData.tag(fileIDs: ids, add: add, remove: remove, in: db))
        }
    }

    /// Adds and removes user tags on a folder (an absolute path).
    public func tag(folder: String, add: [String], remove: [String]) async throws -> ChangeReply {
        try await libraryWrite { db in
            let files = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file WHERE substr(path, 1, ?) = ?", arguments: [folder.unicodeScalars.count + 1, folder + "/"]) ?? 0
            return ChangeReply(files: files, changed: try LibraryData.tag(folder: folder, add: add, remove: remove, in: db))
        }
    }

    public func setFavourite(_ favourite: Bool, _ selection: FileSelection, uid: UInt32, now: Date = Date()) async throws -> ChangeReply {
        try await libraryWrite { db in
            let ids = try LibraryData.fileIDs(selection, uid: uid, in: db)
            return ChangeReply(files: ids.count, changed: try LibraryData.setFavourite(favourite, fileIDs: ids, uid: uid, timestamp: now.timeIntervalSince1970, in: db))
        }
    }

    public func collections(uid: UInt32) async throws -> [CollectionSummary] {
        try await pool.read { db in try LibraryData.collections(uid: uid, in: db) }
    }

    public func createCollection(name: String, shared: Bool, uid: UInt32, now: Date = Date()) async throws -> CollectionSummary {
        try await libraryWrite { db in try LibraryData.createCollection(name: name, shared: shared, uid: uid, timestamp: now.timeIntervalSince1970, in: db) }
    }

    /// Deletes a collection (not its files). Only its owner may, or a writer for a shared one.
    public func deleteCollection(name: String, uid: UInt32, mayChangeShared: Bool) async throws -> CollectionSummary {
        try await libraryWrite { db in
            guard let collection = try LibraryData.collection(named: name, uid: uid, in: db) else { throw LibraryDataError.noSuchCollection(name: name) }
            try LibraryData.checkMayChange(collection, uid: uid, mayChangeShared: mayChangeShared)
            try db.execute(sql: "DELETE FROM collection WHERE id = ?", arguments: [collection.id])
            return collection
        }
    }

    /// Adds (or with `remove`, takes out) the selected files; added files go at the end, in the selection's order.
    public func changeCollection(
        name: String, _ selection: FileSelection, remove: Bool, uid: UInt32, mayChangeShared: Bool
    ) async throws -> ChangeReply {
        try await libraryWrite { db in
            guard let collection = try LibraryData.collection(named: name, uid: uid, in: db) else { throw LibraryDataError.noSuchCollection(name: name) }
            try LibraryData.checkMayChange(collection, uid: uid, mayChangeShared: mayChangeShared)
            let ids = try LibraryData.fileIDs(selection, uid: uid, in: db)
            let changed = remove
                ? try LibraryData.removeItems(ids, from: collection.id, in: db)
                : try LibraryData.addItems(ids, to: collection.id, in: db)
            return ChangeReply(files: ids.count, changed: changed)
        }
    }

    /// Shares a collection with everyone, or makes a shared one private to its owner again. The
    /// caller must be its owner or, for a shared one, may change shared data; sharing itself needs
    /// write access, which the daemon checks first.
    public func shareCollection(name: String, shared: Bool, uid: UInt32, mayChangeShared: Bool) async throws -> CollectionSummary {
        try await libraryWrite { db in
            guard var collection = try LibraryData.collection(named: name, uid: uid, in: db) else { throw LibraryDataError.noSuchCollection(name: name) }
            try LibraryData.checkMayChange(collection, uid: uid, mayChangeShared: mayChangeShared)
            try db.execute(sql: "UPDATE collection SET shared = ? WHERE id = ?", arguments: [shared, collection.id])
            collection.shared = shared
            return collection
        }
    }

    /// Moves the selected files of a collection before the file `before`, to its start, or to its end.
    public func moveInCollection(
        name: String, _ selection: FileSelection, before: Int64?, toStart: Bool = false, uid: UInt32, mayChangeShared: Bool
    ) async throws -> ChangeReply {
        try await libraryWrite { db in
            guard let collection = try LibraryData.collection(named: name, uid: uid, in: db) else { throw LibraryDataError.noSuchCollection(name: name) }
            try LibraryData.checkMayChange(collection, uid: uid, mayChangeShared: mayChangeShared)
            let ids = try LibraryData.fileIDs(selection, uid: uid, in: db)
            return ChangeReply(files: ids.count, changed: try LibraryData.moveItems(ids, before: before, toStart: toStart, in: collection, db: db))
        }
    }

    public func collectionContents(name: String, uid: UInt32) async throws -> CollectionContents {
        try await pool.read { db in
            guard let collection = try LibraryData.collection(named: name, uid: uid, in: db) else { throw LibraryDataError.noSuchCollection(name: name) }
            var records = try LibraryData.items(of: collection.id, in: db)
            try LibraryData.annotate(&records, uid: uid, in: db)
            return CollectionContents(collection: collection, records: records)
        }
    }

    /// Remembers the names files had before `loopctl add` placed them; returns the rows that exist.
    /// The names files were added under, and the web account that uploaded them (when one did).
    public func setOriginalNames(_ names: [String: String], uploadedBy account: String? = nil) async throws -> Int {
        try await libraryWrite { db in
            var changed = 0
            for (path, name) in names {
                try db.execute(sql: "UPDATE file SET originalName = ?, uploadedBy = COALESCE(?, uploadedBy) WHERE path = ?", arguments: [name, account, path])
                changed += db.changesCount
            }
            return changed
        }
    }

    /// A consistent copy of the database, taken while the daemon runs (SQLite's online backup):
    /// written beside `destination` under a temporary name, then renamed over it.
    public func backup(to destination: String) async throws -> Int64 {
        let temporary = destination + ".partial-\(getpid())"
        unlink(temporary)
        do {
            let copy = try DatabaseQueue(path: temporary)
            try pool.backup(to: copy)
            try copy.close()
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BackupError(reason: "cannot rename the copy into place: \(reason)")
        }
        var info = stat()
        return stat(destination, &info) == 0 ? Int64(info.st_size) : 0
    }
}

/// Why a backup could not be written.
public struct BackupError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
