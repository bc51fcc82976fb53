import Foundation
import GRDB
import GRDBSQLite
import LoopAPI
import LoopCore

/// Runs a `FindRequest`: from the in-memory columns when they can answer it (`ColumnSearch`),
/// otherwise as SQL over `file` and its full-text table, in the requested order, one page at a time.
///
/// Pages use keyset pagination: the cursor holds the sort key of the last row
/// returned, and the next page starts strictly after it, so rows added or
/// removed meanwhile never make a page repeat or skip a row that stayed.
enum LibrarySearch {
    static func find(_ request: FindRequest, uid: UInt32, columns: SearchColumns?, in db: Database) throws -> FindResult {
        let query = try LibraryQueryParser().parse(request.query)
        let compiler = LibraryData.compiler(uid: uid, halfDoubleTime: request.halfDoubleTime, compatibleKeys: request.compatibleKeys, in: db)
        if let columns, let result = try ColumnSearch.find(request, query: query, compiler: compiler, uid: uid, columns: columns, in: db) {
            return result
        }
        let condition = try compiler.condition(query)
        let ranking = QueryCompiler.rankingExpression(query)
        let sort = request.sort ?? (ranking != nil ? .relevance : .name)
        let (keys, descending) = sortKeys(sort == .relevance && ranking == nil ? .name : sort, descending: request.descending, seed: request.seed)

        var sql = "SELECT " + IndexReads.recordColumns
        for (index, key) in keys.enumerated() { sql += ", \(key) AS sortKey\(index)" }
        sql += " FROM file"
        var arguments: [any DatabaseValueConvertible] = []
        if sort == .relevance, let ranking {
            // bm25: lower is better; a name match counts more than one in the metadata.
            sql += " LEFT JOIN (SELECT rowid AS rankedId, bm25(fileText, 4.0, 1.0) AS rank FROM fileText WHERE fileText MATCH ?) ON rankedId = file.id"
            arguments.append(ranking)
        }
        sql += " WHERE missingSince IS NULL AND (\(condition.sql))"
        arguments += condition.arguments
        if let cursor = request.cursor {
            let values = try decodeCursor(cursor, count: keys.count)
            sql += " AND (\(keys.joined(separator: ", "))) \(descending ? "<" : ">") (\(values.map { _ in "?" }.joined(separator: ", ")))"
            arguments += values
        }
        let limit = min(max(request.limit, 1), FindRequest.maxLimit)
        sql += " ORDER BY " + keys.map { descending ? $0 + " DESC" : $0 }.joined(separator: ", ") + " LIMIT ?"
        // One more than asked, to know whether a next page exists.
        arguments.append(limit + 1)
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map { Optional($0) }))
        let page = rows.prefix(limit)
        var next: String?
        if rows.count > limit, let last = page.last {
            next = encodeCursor((0..<keys.count).map { last["sortKey\($0)"] as DatabaseValue })
        }
        var records = page.map(IndexReads.record)
        try LibraryData.annotate(&records, uid: uid, in: db)
        var result = FindResult(records: records, next: next)
        if request.facets {
            result.facets = try facets(condition: condition, in: db)
        }
        return result
    }

    /// The ids of the files on disk a query matches, in no particular order: from the columns
    /// when they can answer, otherwise by SQL.
    static func matchingIDs(_ text: String, uid: UInt32, columns: SearchColumns, in db: Database) throws -> [Int64] {
        let query = try LibraryQueryParser().parse(text)
        let compiler = LibraryData.compiler(uid: uid, in: db)
        if let ids = try ColumnSearch.matchingIDs(query, compiler: compiler, columns: columns, in: db) { return ids }
        let condition = try compiler.condition(query)
        return try Int64.fetchAll(db, sql: "SELECT id FROM file WHERE missingSince IS NULL AND (\(condition.sql))",
                                  arguments: StatementArguments(condition.arguments.map { Optional($0) }))
    }

    /// SQL expressions that order rows for `sort` (never null, ending with the id so the order is
    /// total), and whether they run downwards. Missing values come last either way.
    static func sortKeys(_ sort: SearchSort, descending requested: Bool, seed: Int) -> (keys: [String], descending: Bool) {
        // Newest first is what "added" means; asking for descending turns it round.
        let descending = sort == .added ? !requested : (sort == .relevance || sort == .random ? false : requested)
        let missingLast = descending ? "IS NOT NULL" : "IS NULL"
        let keys: [String]
        switch sort {
        case .relevance: keys = ["coalesce(rank, 0)"]
        case .name: keys = ["lower(relativePath)"]
        case .bpm: keys = ["(bpm \(missingLast))", "coalesce(bpm, 0)"]
        case .key:
            // Around the Camelot wheel: 1A, 1B, 2A...
            keys = ["(camelot \(missingLast))", "coalesce(CAST(substr(camelot, 1, length(camelot) - 1) AS INTEGER), 0)", "coalesce(substr(camelot, -1), '')"]
        case .duration: keys = ["(duration \(missingLast))", "coalesce(duration, 0)"]
        case .loudness: keys = ["(coalesce(loudnessLufs, clipLoudnessLufs) \(missingLast))", "coalesce(loudnessLufs, clipLoudnessLufs, 0)"]
        case .added: keys = ["addedAt"]
        case .random:
            // A seeded integer hash of the id (xorshift-multiply rounds; xor written as (a | b) - (a & b)); all below 2^62.
            func xor(_ a: String, _ b: String) -> String { "((\(a)) | (\(b))) - ((\(a)) & (\(b)))" }
            let offset = (seed & 0x7FFF_FFFF) * 40503 % 2_147_483_648
            let start = "(((file.id + \(offset)) % 2147483648 * 1103515245 + 12345) % 2147483648)"
            let first = "((\(xor(start, "\(start) >> 15"))) * 1664525 % 2147483648)"
            keys = [xor(first, "\(first) >> 13")]
        }
        return (keys + ["file.id"], descending)
    }

    static func encodeCursor(_ values: [DatabaseValue]) -> String {
        let parts: [String] = values.map { value in
            switch value.storage {
            case let .int64(number): return "i" + String(number)
            case let .double(number): return "d" + String(number.bitPattern)
            case let .string(text): return "s" + text
            default: return "n"
            }
        }
        let json = (try? JSONEncoder().encode(parts)) ?? Data()
        return json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func decodeCursor(_ cursor: String, count: Int) throws(QueryError) -> [any DatabaseValueConvertible] {
        let base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let parts = try? JSONDecoder().decode([String].self, from: data), parts.count == count else {
            throw QueryError("The cursor is not one this search returned; start again without it.")
        }
        var values: [any DatabaseValueConvertible] = []
        for part in parts {
            let body = String(part.dropFirst())
            switch part.first {
            case "i": guard let number = Int64(body) else { throw QueryError("The cursor is damaged; start again without it.") }; values.append(number)
            case "d": guard let bits = UInt64(body) else { throw QueryError("The cursor is damaged; start again without it.") }; values.append(Double(bitPattern: bits))
            case "s": values.append(body)
            default: throw QueryError("The cursor is damaged; start again without it.")
            }
        }
        return values
    }

    /// Counts per key, ten-BPM band, type, format, tag and top folder over the rows the condition matches.
    static func facets(condition: QueryCompiler.Condition, in db: Database) throws -> SearchFacets {
        let filter = " FROM file WHERE missingSince IS NULL AND (\(condition.sql))"
        let arguments = StatementArguments(condition.arguments.map { Optional($0) })
        var facets = try columnFacets(filter: filter, arguments: arguments, in: db)
        let hasUserTags = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM userTag) OR EXISTS (SELECT 1 FROM folderTag)") ?? false
        if hasUserTags {
            // A file counts once per tag however it has it (its own, a folder's, or automatic).
            let rows = try Row.fetchAll(db, sql: """
                WITH matched AS (SELECT id, path, instruments\(filter))
                SELECT tag, COUNT(DISTINCT id) FROM (
                    SELECT lower(userTag.tag) AS tag, matched.id AS id FROM matched JOIN userTag ON userTag.fileId = matched.id
                    UNION ALL
                    SELECT lower(folderTag.tag), matched.id FROM matched JOIN folderTag
                        ON substr(matched.path, 1, length(folderTag.folder) + 1) = folderTag.folder || '/'
                    UNION ALL
                    SELECT json_each.value, matched.id FROM matched, json_each('["' || replace(matched.instruments, ',', '","') || '"]')
                        WHERE matched.instruments IS NOT NULL
                ) GROUP BY tag
                """, arguments: arguments)
            for row in rows { facets.counts.tag[row[0]] = row[1] }
        } else {
            for (instruments, count) in facets.instrumentSets {
                for tag in instruments.split(separator: ",") { facets.counts.tag[String(tag), default: 0] += count }
            }
        }
        return facets.counts
    }

    /// Key, BPM band, type, format, top folder and instrument-set counts in one pass over the
    /// matching rows (one query rather than one per facet: the filter runs once). Values are
    /// counted by their bytes and turned into strings once per distinct value.
    static func columnFacets(filter: String, arguments: StatementArguments, in db: Database) throws -> (counts: SearchFacets, instrumentSets: [String: Int]) {
        let statement = try db.makeStatement(sql: "SELECT key, CAST(bpm / 10 AS INTEGER), type, format, relativePath, instruments" + filter)
        statement.arguments = arguments
        let cursor = try Row.fetchCursor(statement)
        let sqlite = statement.sqliteStatement
        var byColumn = [[[UInt8]: Int]](repeating: [:], count: 6)
        var bands: [Int64: Int] = [:]
        var total = 0
        func bytes(_ column: Int32, upTo separator: UInt8? = nil) -> [UInt8]? {
            guard let text = sqlite3_column_text(sqlite, column) else { return nil }
            let buffer = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(sqlite, column)))
            if let separator {
                guard let end = buffer.firstIndex(of: separator) else { return [] }
                return Array(buffer[..<end])
            }
            return Array(buffer)
        }
        while try cursor.next() != nil {
            total += 1
            if let key = bytes(0) { byColumn[0][key, default: 0] += 1 }
            if sqlite3_column_type(sqlite, 1) != SQLITE_NULL { bands[sqlite3_column_int64(sqlite, 1), default: 0] += 1 }
            if let type = bytes(2) { byColumn[2][type, default: 0] += 1 }
            if let format = bytes(3) { byColumn[3][format, default: 0] += 1 }
            if let folder = bytes(4, upTo: UInt8(ascii: "/")) { byColumn[4][folder, default: 0] += 1 }
            if let instruments = bytes(5) { byColumn[5][instruments, default: 0] += 1 }
        }
        func strings(_ counts: [[UInt8]: Int]) -> [String: Int] {
            Dictionary(counts.map { (String(decoding: $0.key, as: UTF8.self), $0.value) }) { first, _ in first }
        }
        var facets = SearchFacets()
        facets.total = total
        facets.key = strings(byColumn[0])
        facets.bpm = Dictionary(bands.map { ("\($0.key * 10)-\($0.key * 10 + 9)", $0.value) }) { first, _ in first }
        facets.type = strings(byColumn[2])
        facets.format = strings(byColumn[3])
        facets.folder = strings(byColumn[4])
        return (facets, strings(byColumn[5]))
    }
}
