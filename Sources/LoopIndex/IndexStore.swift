import Foundation
import GRDB
import GRDBSQLite
import LoopAPI
import LoopCore
import Synchronization

/// The index: one SQLite file holding a row per audio file and its waveform.
///
/// `apply` is for the daemon's single writer; every other method is a read
/// and may run concurrently with it.
public final class IndexStore: Sendable {
    let pool: DatabasePool
    public let path: String
    /// Counts committed write batches, so caches of the index know when they are stale.
    let generation = Atomic<UInt64>(0)
    let similarityIndex = SimilarityIndex()
    /// Path templates of the roots that keep takes; the writer derives take fields with them.
    let templates = Mutex<[String: PathTemplate]>([:])
    /// The search fields in memory, which `find` answers from; every commit refreshes them.
    let columns: SearchColumns
    /// Notified after every commit that changed a file's record (what `subscribe` waits on).
    public let changeSignal = ChangeSignal()

    public convenience init(path: String) throws {
        try self.init(path: path, compactColumnsAfter: 10_000)
    }

    /// `compactColumnsAfter`: dead slots the search columns keep before compacting (tests make it small).
    init(path: String, compactColumnsAfter: Int) throws {
        self.path = path
        columns = SearchColumns(compactAfter: compactColumnsAfter)
        pool = try IndexDatabase.open(path: path)
        let signal = changeSignal
        let observer = ChangedRowsObserver(tables: ["file", "changeLog"], refresh: { _, _ in signal.notify() }, failed: {})
        pool.writeWithoutTransaction { db in db.add(transactionObserver: observer, extent: .databaseLifetime) }
    }

    /// Applies a batch of operations in one transaction.
    public func apply(_ operations: [IndexOperation], now: Date = Date()) throws {
        guard !operations.isEmpty else { return }
        let timestamp = now.timeIntervalSince1970
        defer { generation.add(1, ordering: .releasing) }
        let templates = self.templates.withLock { $0 }
        try pool.write { db in
            for operation in operations {
                try IndexWrites.apply(operation, timestamp: timestamp, templates: templates, in: db)
            }
        }
    }

    /// Sets the roots' path templates and derives every row's take fields again.
    /// Call before the writer starts (it writes).
    public func setTemplates(_ templates: [String: PathTemplate]) throws {
        self.templates.withLock { $0 = templates }
        try pool.write { db in try IndexWrites.refreshTakes(templates: templates, in: db) }
        generation.add(1, ordering: .releasing)
    }

    /// The stored state of one path, or nil when it is not indexed.
    public func state(ofPath path: String) throws -> StoredFileState? {
        try pool.read { db in
            try Row.fetchOne(db, sql: IndexReads.stateSelect + " WHERE path = ?", arguments: [path]).map(IndexReads.state)
        }
    }

    /// Every row below `root`, for the scanner, with whether it was analysed
    /// by `analysisVersion`.
    public func snapshot(underRoot root: String, analysisVersion: String) throws -> RootSnapshot {
        try pool.read { db in
            // A restart reads every row of the library: straight from the statement, no Row or
            // String per row, and by a plain table scan (`+root` keeps SQLite off the root index,
            // which would cost a row lookup per file).
            let statement = try db.makeStatement(sql: """
                SELECT id, path, device, inode, size, mtimeNs, analysisVersion = ?, missingSince IS NOT NULL
                FROM file WHERE +root = ?
                """)
            statement.arguments = [analysisVersion, root]
            let rows = try Row.fetchCursor(statement)
            let sqlite = statement.sqliteStatement
            var snapshot = RootSnapshot()
            while try rows.next() != nil {
                let path = UnsafeRawBufferPointer(start: sqlite3_column_text(sqlite, 1), count: Int(sqlite3_column_bytes(sqlite, 1)))
                snapshot.append(
                    id: sqlite3_column_int64(sqlite, 0), path: path,
                    device: UInt64(bitPattern: sqlite3_column_int64(sqlite, 2)),
                    inode: UInt64(bitPattern: sqlite3_column_int64(sqlite, 3)),
                    size: sqlite3_column_int64(sqlite, 4), mtimeNs: sqlite3_column_int64(sqlite, 5),
                    analysedByCurrentVersion: sqlite3_column_int(sqlite, 6) != 0, offline: sqlite3_column_int(sqlite, 7) != 0
                )
            }
            return snapshot
        }
    }

    /// An offline row for the file with this device and inode: the same file, moved.
    public func offlineState(device: UInt64, inode: UInt64) throws -> StoredFileState? {
        try pool.read { db in
            try Row.fetchOne(db, sql: IndexReads.stateSelect + " WHERE device = ? AND inode = ? AND missingSince IS NOT NULL",
                             arguments: [Int64(bitPattern: device), Int64(bitPattern: inode)]).map(IndexReads.state)
        }
    }

    /// An offline row with this content: the same file, copied elsewhere and the original removed.
    public func offlineState(hash: String) throws -> StoredFileState? {
        try pool.read { db in
            try Row.fetchOne(db, sql: IndexReads.stateSelect + " WHERE hash = ? AND missingSince IS NOT NULL ORDER BY id LIMIT 1",
                             arguments: [hash]).map(IndexReads.state)
        }
    }

    public func search(_ query: SearchQuery) async throws -> [SampleRecord] {
        try await pool.read { db in try IndexReads.search(query, in: db) }
    }

    /// Every row, offline ones included, ordered by path.
    public func allRecords() throws -> [SampleRecord] {
        try pool.read { db in try Row.fetchAll(db, sql: IndexReads.recordSelect + " ORDER BY path").map(IndexReads.record) }
    }

    /// The online rows of these ids, in id order (ids that are gone or offline are left out).
    public func records(ids: [Int64]) async throws -> [SampleRecord] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try await pool.read { db in
            try Row.fetchAll(db, sql: IndexReads.recordSelect + " WHERE id IN (\(marks)) AND missingSince IS NULL ORDER BY id", arguments: StatementArguments(ids))
                .map(IndexReads.record)
        }
    }

    /// Up to `limit` online rows with ids above `after`, in id order, and the last id read (nil
    /// when no row is left after this page): a page of a full copy.
    public func records(after: Int64, limit: Int) async throws -> (records: [SampleRecord], lastID: Int64?) {
        try await pool.read { db in
            // Paged on every row, offline ones included, so a run of offline rows never ends a copy early.
            let rows = try Row.fetchAll(db, sql: "SELECT id, missingSince IS NULL FROM file WHERE id > ? ORDER BY id LIMIT ?", arguments: [after, limit])
            guard let last = rows.last?[0] as Int64? else { return ([], nil) }
            let next = rows.count < limit ? nil : last
            let online: [Int64] = rows.filter { $0[1] as Bool }.map { $0[0] }
            guard !online.isEmpty else { return ([], next) }
            let marks = Array(repeating: "?", count: online.count).joined(separator: ",")
            let records = try Row.fetchAll(db, sql: IndexReads.recordSelect + " WHERE id IN (\(marks)) ORDER BY id", arguments: StatementArguments(online))
                .map(IndexReads.record)
            return (records, next)
        }
    }

    /// One row by id; with `uid`, also that user's favourite mark and the user and folder tags.
    public func record(id: Int64, uid: UInt32? = nil) async throws -> SampleRecord? {
        try await record(where: "id = ?", id, uid: uid)
    }

    /// The first row on disk with this content; with `uid`, annotated as `record(id:uid:)` is.
    public func record(hash: String, uid: UInt32? = nil) async throws -> SampleRecord? {
        try await record(where: "hash = ? AND missingSince IS NULL ORDER BY id LIMIT 1", hash.lowercased(), uid: uid)
    }

    /// One row by absolute path; with `uid`, annotated as `record(id:uid:)` is.
    public func record(path: String, uid: UInt32? = nil) async throws -> SampleRecord? {
        try await record(where: "path = ?", path, uid: uid)
    }

    private func record(where condition: String, _ value: some DatabaseValueConvertible & Sendable, uid: UInt32?) async throws -> SampleRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: IndexReads.recordSelect + " WHERE " + condition, arguments: [value]) else { return nil }
            var records = [IndexReads.record(row)]
            if let uid { try LibraryData.annotate(&records, uid: uid, in: db) }
            return records.first
        }
    }

    /// The finest stored peaks of a file (see `WaveformPeaks.coarsened(by:)` for the other levels).
    public func peaks(fileID: Int64) async throws -> WaveformPeaks? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT samplesPerPixel, sampleRate, channels, data FROM waveformPeaks WHERE fileId = ?", arguments: [fileID]).map { row in
                let data: Data = row[3]
                return WaveformPeaks(samplesPerPixel: row[0], sampleRate: row[1], channels: row[2], packed: [UInt8](data))
            }
        }
    }

    /// A search in the query language, one page at a time, as the user `uid` sees it (their favourites).
    public func find(_ request: FindRequest, uid: UInt32 = 0) async throws -> FindResult {
        columns.startLoading(pool)
        let columns = self.columns
        return try await pool.read { db in try LibrarySearch.find(request, uid: uid, columns: columns, in: db) }
    }

    /// `find` by SQL alone, without the in-memory columns: the reference the columns are tested against.
    func findInSQL(_ request: FindRequest, uid: UInt32 = 0) async throws -> FindResult {
        try await pool.read { db in try LibrarySearch.find(request, uid: uid, columns: nil, in: db) }
    }

    /// `find` from the in-memory columns alone; nil when they cannot answer the query.
    func findInColumns(_ request: FindRequest, uid: UInt32 = 0) async throws -> FindResult? {
        let columns = self.columns
        return try await pool.read { db in
            let query = try LibraryQueryParser().parse(request.query)
            let compiler = LibraryData.compiler(uid: uid, halfDoubleTime: request.halfDoubleTime, compatibleKeys: request.compatibleKeys, in: db)
            return try ColumnSearch.find(request, query: query, compiler: compiler, uid: uid, columns: columns, in: db)
        }
    }

    /// Every stored similarity vector of a file on disk, by file id.
    public func similarityVectors() async throws -> [(fileID: Int64, vector: SimilarityVector)] {
        try await pool.read { db in try SimilarityReads.vectors(in: db) }
    }

    public func waveform(fileID: Int64) async throws -> Waveform? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT samplesPerPoint, sampleRate, data FROM waveform WHERE fileId = ?", arguments: [fileID]).map { row in
                let data: Data = row["data"]
                return Waveform(samplesPerPoint: row["samplesPerPoint"], sampleRate: row["sampleRate"], packed: [UInt8](data))
            }
        }
    }

    /// The roots that have files on disk in the index.
    public func onlineRoots() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT root FROM file WHERE missingSince IS NULL") }
    }

    public func totals() async throws -> IndexTotals {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS files, COUNT(error) AS errors,
                       COALESCE(SUM(duration), 0) AS seconds, COALESCE(SUM(size), 0) AS bytes,
                       (SELECT COUNT(*) FROM file WHERE missingSince IS NOT NULL) AS offline
                FROM file WHERE missingSince IS NULL
                """)
            return IndexTotals(
                files: row?["files"] ?? 0, errors: row?["errors"] ?? 0, audioSeconds: row?["seconds"] ?? 0,
                bytes: row?["bytes"] ?? 0, offline: row?["offline"] ?? 0
            )
        }
    }
}

/// Counts over the whole index, for `status`.
public struct IndexTotals: Sendable, Equatable, Codable {
    public var files: Int
    public var errors: Int
    public var audioSeconds: Double
    public var bytes: Int64
    /// Rows kept while their files are not on disk.
    public var offline: Int
}

extension IndexStore {
    /// SQLite's `PRAGMA integrity_check`: ["ok"] for a sound database.
    public func integrityCheck() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Closes every connection; call once no reads or writes remain.
    public func close() throws {
        columns.stopLoading()
        try pool.close()
    }

    /// Starts loading the in-memory search columns if no search has, and waits until they are in
    /// (searches run in SQL until then).
    public func waitUntilSearchColumnsLoaded() async {
        columns.startLoading(pool)
        await columns.waitUntilLoaded()
    }
}
