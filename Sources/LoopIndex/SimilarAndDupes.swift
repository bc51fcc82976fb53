import Foundation
import GRDB
import LoopAPI
import LoopCore
import Synchronization

extension IndexStore {
    /// The files whose similarity vectors lie nearest the one of `fileID`
    /// (each dimension scaled by its spread over the library), optionally
    /// only among those matching `query`. Nil when the file has no vector.
    public func similar(to fileID: Int64, where query: String?, limit: Int, uid: UInt32 = 0) async throws -> [SimilarMatch]? {
        if query != nil { columns.startLoading(pool) }
        try await similarityIndex.loadIfNeeded(pool)
        let columns = self.columns
        return try await pool.read { db in
            var allowed: Set<Int64>?
            if let query, !query.isEmpty { allowed = Set(try LibrarySearch.matchingIDs(query, uid: uid, columns: columns, in: db)) }
            guard let nearest = similarityIndex.nearest(to: fileID, allowed: allowed, limit: max(limit, 0)) else {
                return nil
            }
            return try nearest.compactMap { id, distance in
                try Row.fetchOne(db, sql: IndexReads.recordSelect + " WHERE id = ?", arguments: [id]).map {
                    SimilarMatch(record: IndexReads.record($0), distance: Double(distance))
                }
            }
        }
    }

    /// Groups of files on disk with the same content, largest waste first.
    public func duplicates() async throws -> DuplicatesReport {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: IndexReads.recordSelect + """
                 WHERE missingSince IS NULL AND hash IN (
                    SELECT hash FROM file WHERE missingSince IS NULL AND hash IS NOT NULL GROUP BY hash HAVING COUNT(*) > 1)
                 ORDER BY hash, path
                """)
            var groups: [String: [SampleRecord]] = [:]
            for record in rows.map(IndexReads.record) {
                if let hash = record.hash { groups[hash, default: []].append(record) }
            }
            let list = groups.map { DuplicateGroup(hash: $0.key, size: $0.value.first?.size ?? 0, records: $0.value) }
                .sorted { $0.reclaimableBytes != $1.reclaimableBytes ? $0.reclaimableBytes > $1.reclaimableBytes : $0.hash < $1.hash }
            return DuplicatesReport(groups: list)
        }
    }
}

enum SimilarityReads {
    /// The vectors of files on disk (of `ids` when given).
    static func vectors(in db: Database, ids: [Int64]? = nil) throws -> [(fileID: Int64, vector: SimilarityVector)] {
        let chosen = ids.map { " AND file.id IN (\(LibraryData.placeholders($0.count)))" } ?? ""
        let rows = try Row.fetchCursor(db, sql: """
            SELECT similarity.fileId, similarity.vector FROM similarity JOIN file ON file.id = similarity.fileId
            WHERE file.missingSince IS NULL
            """ + chosen, arguments: StatementArguments(ids ?? []))
        var vectors: [(fileID: Int64, vector: SimilarityVector)] = []
        while let row = try rows.next() {
            let data: Data = row[1]
            if let vector = SimilarityVector(packed: data) { vectors.append((row[0], vector)) }
        }
        return vectors
    }
}
