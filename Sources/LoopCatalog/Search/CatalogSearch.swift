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

    /// A page of the files `request` finds; `account` gives `fav:` and `in:` their meaning
    /// (its favourites, and its collections or those shared with it).
    public func find(_ request: FindRequest, account: String? = nil) async throws -> CatalogPage {
        guard (1...FindRequest.maxLimit).contains(request.limit) else { throw QueryError("'limit' must be between 1 and \(FindRequest.maxLimit).") }
        let offset = try Self.offset(request.cursor)
        let parsed = try LibraryQueryParser().parse(request.query)
        var compiler = try await compiler(for: parsed, request, account: account)
        // The facets' queries number their own binds: they start from the compiler before any.
        let facetCompiler = compiler
        let condition = try compiler.condition(parsed)
        let order = orderClause(request, query: parsed, compiler: &compiler)
        let silent = compiler.bind(Double(silentAfter.components.seconds))
        // The page's keys first, then their records: records are large, and read only for the page.
        let sql = """
            SELECT s.host, s.record::text, h.last_seen > now() - make_interval(secs => \(silent))
            FROM (SELECT s.host, s.file_id FROM catalog_sound s WHERE s.public AND (\(condition))
                  ORDER BY \(order), s.host, s.file_id LIMIT \(request.limit + 1) OFFSET \(offset)) AS page
            JOIN catalog_sound s ON s.host = page.host AND s.file_id = page.file_id
            JOIN catalog_host h ON h.host = s.host
            ORDER BY \(order), s.host, s.file_id
            """
        let query = PostgresQuery(unsafeSQL: sql, binds: compiler.bindings)
        // Facets are counted meanwhile, on other connections.
        async let facets = request.facets && request.cursor == nil ? facets(parsed, request, compiler: facetCompiler) : nil
        let logger = self.logger
        var hits = try await database.reading { connection in try await Self.hits(query, on: connection, logger: logger) }
        var next: String?
        if hits.count > request.limit {
            hits.removeLast()
            next = "o\(offset + request.limit)"
        }
        return CatalogPage(hits: hits, next: next, facets: try await facets)
    }

    /// The rows of a query selecting a sound's host, its record as text and whether its host is available.
    static func hits(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [CatalogHit] {
        var hits: [CatalogHit] = []
        let decoder = JSONDecoder()
        for try await (host, json, available) in try await connection.query(query, logger: logger).decode((String, String, Bool).self) {
            hits.append(CatalogHit(host: host, available: available, record: try decoder.decode(SampleRecord.self, from: Data(json.utf8))))
        }
        return hits
    }

    /// A compiler for `query` as `account` asks it, with the owner of each collection it names:
    /// the account's own of that name, else one shared with everyone (by the first owner by name).
    func compiler(for query: LibraryQuery, _ request: FindRequest, account: String?) async throws -> CatalogQueryCompiler {
        var compiler = CatalogQueryCompiler(halfDoubleTime: request.halfDoubleTime, compatibleKeys: request.compatibleKeys, account: account)
        let names = CatalogQueryCompiler.collectionNames(in: query)
        guard !names.isEmpty else { return compiler }
        guard let account else { throw QueryError("'in:' needs an account: collections on every server are each account's own or shared with it.") }
        let owners: [String: String] = try await database.reading { connection in
            var owners: [String: String] = [:]
            let query: PostgresQuery = """
                SELECT DISTINCT ON (name) name, owner FROM catalog_collection
                WHERE name = ANY(\(Array(names))) AND (owner = \(account) OR shared)
                ORDER BY name, owner <> \(account), owner
                """
            for try await (name, owner) in try await connection.query(query, logger: logger).decode((String, String).self) { owners[name] = owner }
            return owners
        }
        compiler.collectionOwners = owners
        return compiler
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
        let name = "s.file_name"
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
    /// `compiler` has no binds yet: the facets' queries number their own.
    func facets(_ query: LibraryQuery, _ request: FindRequest, compiler: CatalogQueryCompiler) async throws -> SearchFacets {
        // One pass over the matches for the single-valued facets and the total (grouping sets),
        // one for the tags, whose rows unnest; the two run at once, each on its own connection.
        // The band stays a number here (its label is made once per band, below, not per row).
        var compiler = compiler
        let condition = try compiler.condition(query)
        let grouped = PostgresQuery(unsafeSQL: """
            SELECT GROUPING(k, b, t, f, d)::int, k, b, t, f, d, count(*)::bigint
            FROM (SELECT s.musical_key AS k, floor(s.bpm / 10)::int AS b, s.sound_type AS t, s.format AS f, s.top_folder AS d
                  FROM catalog_sound s WHERE s.public AND (\(condition))) AS v
            GROUP BY GROUPING SETS ((k), (b), (t), (f), (d), ())
            """, binds: compiler.bindings)
        // The same condition, with the same bindings.
        let tags = PostgresQuery(unsafeSQL: """
            SELECT value, count(*)::bigint FROM (SELECT unnest(s.instruments) AS value FROM catalog_sound s WHERE s.public AND (\(condition))) AS v
            WHERE value IS NOT NULL GROUP BY value
            """, binds: compiler.bindings)
        async let groupRows = database.reading { connection in
            var rows: [(Int, String?, Int?, String?, String?, String?, Int64)] = []
            for try await row in try await connection.query(grouped, logger: logger).decode((Int, String?, Int?, String?, String?, String?, Int64).self) {
                rows.append(row)
            }
            return rows
        }
        async let tagRows = database.reading { connection in
            var rows: [(String, Int64)] = []
            for try await row in try await connection.query(tags, logger: logger).decode((String, Int64).self) { rows.append(row) }
            return rows
        }
        var facets = SearchFacets()
        // GROUPING sets a bit for each column a row is not grouped by, the first column's the highest.
        for (bits, key, band, type, format, folder, count) in try await groupRows {
            let count = Int(count)
            switch bits {
            case 0b11111: facets.total = count
            case 0b01111: if let key { facets.key[key] = count }
            case 0b10111: if let band { facets.bpm["\(band * 10)-\(band * 10 + 9)"] = count }
            case 0b11011: if let type { facets.type[type] = count }
            case 0b11101: if let format { facets.format[format] = count }
            case 0b11110: if let folder { facets.folder[folder] = count }
            default: break
            }
        }
        let tagCounts = try await tagRows
        for (value, count) in tagCounts { facets.tag[value] = Int(count) }
        return facets
    }
}
