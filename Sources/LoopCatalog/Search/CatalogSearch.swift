import Foundation
import Logging
import LoopAPI
import LoopCore
import PostgresNIO

/// A sound found in the shared catalogue: which server has it, whether that server is heard from,
/// and its record as that server's loopd gave it.
public struct CatalogHit: Sendable, Equatable {
    public var host: String
    /// False while the host is silent (its heartbeat is late): the file is not gone, but cannot be fetched now.
    public var available: Bool
    public var record: SampleRecord
}

/// A page of catalogue results; `next` is the cursor of the following page.
public struct CatalogPage: Sendable, Equatable {
    public var hits: [CatalogHit]
    public var next: String?
    public var facets: SearchFacets?
}

/// Searches in the shared catalogue, in the index's query language, over the files any user of
/// their server may read.
public struct CatalogSearch: Sendable {
    let database: CatalogDatabase
    let silentAfter: Duration
    let logger: Logger

    public init(database: CatalogDatabase, silentAfter: Duration, logger: Logger) {
        self.database = database
        self.silentAfter = silentAfter
        self.logger = logger
    }

    public func find(_ request: FindRequest) async throws -> CatalogPage {
        guard (1...FindRequest.maxLimit).contains(request.limit) else { throw QueryError("'limit' must be between 1 and \(FindRequest.maxLimit).") }
        let offset = try Self.offset(request.cursor)
        let parsed = try LibraryQueryParser().parse(request.query)
        var compiler = CatalogQueryCompiler(halfDoubleTime: request.halfDoubleTime, compatibleKeys: request.compatibleKeys)
        let condition = try compiler.condition(parsed)
        let order = orderClause(request, query: parsed, compiler: &compiler)
        let silent = compiler.bind(Double(silentAfter.components.seconds))
        let sql = """
            SELECT s.host, s.record::text, h.last_seen > now() - make_interval(secs => \(silent))
            FROM catalog_sound s JOIN catalog_host h ON h.host = s.host
            WHERE s.public AND (\(condition))
            ORDER BY \(order), s.host, s.file_id
            LIMIT \(request.limit + 1) OFFSET \(offset)
            """
        let query = PostgresQuery(unsafeSQL: sql, binds: compiler.bindings)
        var hits = try await database.reading { connection in
            var hits: [CatalogHit] = []
            let decoder = JSONDecoder()
            for try await (host, json, available) in try await connection.query(query, logger: logger).decode((String, String, Bool).self) {
                hits.append(CatalogHit(host: host, available: available, record: try decoder.decode(SampleRecord.self, from: Data(json.utf8))))
            }
            return hits
        }
        var next: String?
        if hits.count > request.limit {
            hits.removeLast()
            next = "o\(offset + request.limit)"
        }
        let facets = request.facets && request.cursor == nil ? try await facets(parsed, request) : nil
        return CatalogPage(hits: hits, next: next, facets: facets)
    }

    /// Cursors here are offsets ("o" and a number): the catalogue is shared and written by every host,
    /// so a page may shift while paging, as any search under writes.
    static func offset(_ cursor: String?) throws(QueryError) -> Int {
        guard let cursor else { return 0 }
        guard cursor.first == "o", let offset = Int(cursor.dropFirst()), offset >= 0, offset <= 10_000_000 else {
            throw QueryError("The cursor is not one this search gave; start again without it.")
        }
        return offset
    }

    /// The order: best text match first when the query has words (by name otherwise), or the field asked for.
    func orderClause(_ request: FindRequest, query: LibraryQuery, compiler: inout CatalogQueryCompiler) -> String {
        let direction = request.descending ? "DESC" : "ASC"
        let name = "lower(regexp_replace(s.relative_path, '^.*/', ''))"
        switch request.sort ?? .relevance {
        case .relevance:
            guard let tsquery = compiler.tsquery(Self.positiveText(query).joined(separator: " "), phrase: false) else { return name }
            return "ts_rank(s.words, \(tsquery)) DESC, \(name)"
        case .name: return "\(name) \(direction)"
        case .bpm: return "s.bpm \(direction) NULLS LAST"
        case .key: return "s.camelot \(direction) NULLS LAST"
        case .duration: return "s.duration \(direction) NULLS LAST"
        case .loudness: return "s.loudness \(direction) NULLS LAST"
        // Most recent first unless reversed.
        case .added: return "s.added_at \(request.descending ? "ASC" : "DESC")"
        case .random: return "md5(\(compiler.bind(String(request.seed))) || s.host || s.file_id::text)"
        }
    }

    /// The free-text words a query looks for outside any NOT or OR: what relevance ranks by.
    static func positiveText(_ query: LibraryQuery) -> [String] {
        switch query {
        case let .text(text, _): return [text]
        case let .and(parts): return parts.flatMap(positiveText)
        case .all, .field, .not, .or: return []
        }
    }

    /// Counts of the matching files per key, ten-BPM band, type, format, instrument and top folder.
    func facets(_ query: LibraryQuery, _ request: FindRequest) async throws -> SearchFacets {
        // One pass over the matches for the single-valued facets and the total (grouping sets),
        // one for the tags, whose rows unnest: each pass reads every matching row.
        let columns: [(WritableKeyPath<SearchFacets, [String: Int]>, String)] = [
            (\.key, "s.record->>'key'"),
            (\.bpm, "(floor(s.bpm / 10) * 10)::int::text || '-' || ((floor(s.bpm / 10) * 10)::int + 9)::text"),
            (\.type, "s.sound_type"),
            (\.format, "s.format"),
            (\.folder, "CASE WHEN position('/' in s.relative_path) > 0 THEN split_part(s.relative_path, '/', 1) ELSE '' END"),
        ]
        let names = columns.indices.map { "c\($0)" }
        var compiler = CatalogQueryCompiler(halfDoubleTime: request.halfDoubleTime, compatibleKeys: request.compatibleKeys)
        let condition = try compiler.condition(query)
        let grouped = """
            SELECT GROUPING(\(names.joined(separator: ", ")))::int, coalesce(\(names.joined(separator: ", "))), count(*)::bigint
            FROM (SELECT \(zip(columns, names).map { "\($0.1) AS \($1)" }.joined(separator: ", "))
                  FROM catalog_sound s WHERE s.public AND (\(condition))) AS v
            GROUP BY GROUPING SETS (\(names.map { "(\($0))" }.joined(separator: ", ")), ())
            """
        // GROUPING sets a bit, the first column's the highest, for each column a row is not grouped by.
        let all = (1 << columns.count) - 1
        // The same condition, with the same bindings.
        let tags = """
            SELECT value, count(*)::bigint FROM (SELECT unnest(s.instruments) AS value FROM catalog_sound s WHERE s.public AND (\(condition))) AS v
            WHERE value IS NOT NULL GROUP BY value
            """
        let (groupedQuery, tagsQuery) = (PostgresQuery(unsafeSQL: grouped, binds: compiler.bindings), PostgresQuery(unsafeSQL: tags, binds: compiler.bindings))
        let (groups, tagCounts) = try await database.reading { connection in
            var groups: [(Int, String?, Int64)] = []
            for try await row in try await connection.query(groupedQuery, logger: logger).decode((Int, String?, Int64).self) { groups.append(row) }
            var tags: [(String, Int64)] = []
            for try await row in try await connection.query(tagsQuery, logger: logger).decode((String, Int64).self) { tags.append(row) }
            return (groups, tags)
        }
        var facets = SearchFacets()
        for (bits, value, count) in groups {
            if bits == all {
                facets.total = Int(count)
            } else if let value, let index = columns.indices.first(where: { all ^ (1 << (columns.count - 1 - $0)) == bits }) {
                facets[keyPath: columns[index].0][value] = Int(count)
            }
        }
        for (value, count) in tagCounts { facets.tag[value] = Int(count) }
        return facets
    }
}
