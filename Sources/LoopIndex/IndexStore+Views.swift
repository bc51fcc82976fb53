import Foundation
import GRDB
import LoopAPI
import LoopCore
import Synchronization

/// What the views tree and the catalogue are built from: every file on disk
/// with the fields the views sort by, favourites, shared collections and
/// saved searches, read in one transaction so they agree.
public struct ViewSource: Sendable {
    public struct File: Sendable, Equatable {
        public var id: Int64
        public var path: String
        public var root: String
        public var inode: UInt64
        public var type: SampleType?
        public var bpm: Double?
        public var key: String?
        public var instruments: [String]
        public var duration: Double?
        public var format: AudioFormat?
        public var size: Int64
        public var tags: [String]
        /// The waveform overview's maxima scaled to 0...255, a few dozen points (for the catalogue).
        public var overview: [UInt8]

        public init(
            id: Int64, path: String, root: String, inode: UInt64, type: SampleType?, bpm: Double?, key: String?, instruments: [String],
            duration: Double?, format: AudioFormat?, size: Int64, tags: [String], overview: [UInt8]
        ) {
            self.id = id; self.path = path; self.root = root; self.inode = inode; self.type = type; self.bpm = bpm; self.key = key
            self.instruments = instruments; self.duration = duration; self.format = format; self.size = size; self.tags = tags; self.overview = overview
        }
    }

    public var files: [File] = []
    /// User name to favourite file ids.
    public var favourites: [String: [Int64]] = [:]
    /// Shared collection name to its file ids, in order.
    public var sharedCollections: [String: [Int64]] = [:]
    /// Saved search name to the ids it matches.
    public var searches: [String: [Int64]] = [:]

    public init() {}
}

extension IndexStore {
    /// Reads the view source; `searches` are extra saved searches from the config (the database's are added).
    /// Waveform overviews (for the catalogue) are read only when `overviewPoints` is above zero.
    public func viewSource(configuredSearches: [SavedView] = [], overviewPoints: Int = 48) async throws -> ViewSource {
        try await pool.read { db in
            var source = ViewSource()
            let folderTags = try Row.fetchAll(db, sql: "SELECT folder, tag FROM folderTag").map { (folder: $0[0] as String, tag: $0[1] as String) }
            var userTags: [Int64: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT fileId, tag FROM userTag") { userTags[row[0], default: []].append(row[1]) }
            let overview = overviewPoints > 0 ? "waveform.data" : "NULL"
            let rows = try Row.fetchCursor(db, sql: """
                SELECT file.id, path, root, inode, type, bpm, key, instruments, duration, format, size, \(overview)
                FROM file LEFT JOIN waveform ON waveform.fileId = file.id
                WHERE missingSince IS NULL AND error IS NULL ORDER BY file.id
                """)
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let path: String = row[1]
                var tags = userTags[id] ?? []
                for (folder, tag) in folderTags where path.hasPrefix(folder + "/") { tags.append(tag) }
                let packed: Data? = row[11]
                source.files.append(ViewSource.File(
                    id: id, path: path, root: row[2], inode: UInt64(bitPattern: row[3] as Int64), type: row[4], bpm: row[5], key: row[6],
                    instruments: (row[7] as String?).map { $0.split(separator: ",").map(String.init) } ?? [],
                    duration: row[8], format: row[9], size: row[10], tags: tags,
                    overview: packed.map { Self.overview(Waveform(samplesPerPoint: 1, sampleRate: 1, packed: [UInt8]($0)), points: overviewPoints) } ?? []
                ))
            }
            for row in try Row.fetchAll(db, sql: "SELECT uid, fileId FROM favourite ORDER BY addedAt, fileId") {
                source.favourites[UnixUsers.name(of: UInt32(truncatingIfNeeded: row[0] as Int64)), default: []].append(row[1])
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT collection.name, collectionItem.fileId FROM collection JOIN collectionItem ON collectionItem.collectionId = collection.id
                WHERE collection.shared ORDER BY collection.id, collectionItem.position
                """) {
                source.sharedCollections[row[0], default: []].append(row[1])
            }
            let saved = try Row.fetchAll(db, sql: "SELECT name, query FROM savedView").map { SavedView(name: $0[0], query: $0[1]) }
            for view in configuredSearches + saved where source.searches[view.name] == nil {
                // A saved search that no longer parses is published empty rather than stopping every view.
                source.searches[view.name] = (try? LibraryData.fileIDs(FileSelection(query: view.query), uid: 0, in: db)) ?? []
            }
            return source
        }
    }

    /// Peaks of the stored overview, reduced to `points` values of 0...255.
    static func overview(_ waveform: Waveform, points: Int) -> [UInt8] {
        let maxima = zip(waveform.minimums, waveform.maximums).map { max(abs(Int($0)), abs(Int($1))) }
        guard !maxima.isEmpty, points > 0 else { return [] }
        return (0..<points).map { index in
            let start = index * maxima.count / points, end = max(start + 1, (index + 1) * maxima.count / points)
            let peak = maxima[start..<min(end, maxima.count)].max() ?? 0
            return UInt8(min(255, peak * 255 / 32768))
        }
    }

    public func savedViews() async throws -> [SavedView] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT name, query FROM savedView ORDER BY name").map { SavedView(name: $0[0], query: $0[1]) } }
    }

    /// Saves a search as a view; the query must parse. Replaces a view of the same name.
    public func saveView(_ view: SavedView, now: Date = Date()) async throws {
        _ = try LibraryQueryParser().parse(view.query)
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO savedView (name, query, createdAt) VALUES (?, ?, ?)", arguments: [view.name, view.query, now.timeIntervalSince1970])
        }
        generation.add(1, ordering: .releasing)
    }

    /// Removes a saved view; false when there was none of that name.
    public func removeView(named name: String) async throws -> Bool {
        let removed = try await pool.write { db in
            try db.execute(sql: "DELETE FROM savedView WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
        generation.add(1, ordering: .releasing)
        return removed
    }

    /// The number of committed changes so far; it grows with every write, user data included.
    public var changeCount: UInt64 { generation.load(ordering: .acquiring) }
}
