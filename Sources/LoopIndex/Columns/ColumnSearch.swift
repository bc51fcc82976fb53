import GRDB
import LoopAPI
import LoopCore

/// `find` answered from the in-memory columns: the same matches, order, cursors and facets as
/// the SQL search, with records then read from SQLite by id.
enum ColumnSearch {
    /// One page, or nil when the query needs the SQL search (see `NotAnsweredInMemory`).
    static func find(_ request: FindRequest, query: LibraryQuery, compiler: QueryCompiler, uid: UInt32, columns: SearchColumns, in db: Database) throws -> FindResult? {
        guard let prepared = try prepare(query, compiler: compiler, in: db) else { return nil }
        let ranking = ColumnRanking(prepared)
        let requested = request.sort ?? (ranking != nil ? .relevance : .name)
        let sort = requested == .relevance && ranking == nil ? .name : requested
        let keyCount = LibrarySearch.sortKeys(sort, descending: request.descending, seed: request.seed).keys.count
        let cursor = try request.cursor.map { try LibrarySearch.decodeCursor($0, count: keyCount) }
        let limit = min(max(request.limit, 1), FindRequest.maxLimit)
        let tagPairs = request.facets ? try ColumnStorage.facetTagPairs(in: db) : nil

        let answer = try columns.read { storage throws -> ([Int64], String?, SearchFacets?) in
            let words = WordSlotsCache()
            let matched = storage.matches(prepared, words: words)
            let ranks = sort == .relevance ? ranking.map { storage.ranks($0, candidates: matched, words: words) } ?? [:] : [:]
            let ordering = ColumnOrdering(sort: sort, requestedDescending: request.descending, seed: request.seed, ranks: ranks)
            var after: ColumnOrdering.Key?
            if let cursor {
                guard let key = ordering.key(cursor: cursor) else { throw QueryError("The cursor is not one this search returned; start again without it.") }
                after = key
            }
            // One more than asked, to know whether a next page exists.
            var first = BoundedHeap<(key: ColumnOrdering.Key, slot: Int32)>(capacity: limit + 1) { ordering.precedes($0.key, $1.key) }
            matched.forEach { slot in
                let key = ordering.key(slot, in: storage)
                if let after, !ordering.precedes(after, key) { return }
                first.offer((key, slot))
            }
            let sorted = first.sorted()
            let page = sorted.prefix(limit)
            var next: String?
            if sorted.count > limit, let last = page.last {
                next = LibrarySearch.encodeCursor(ordering.cursorValues(last.slot, in: storage))
            }
            let facets = request.facets ? storage.facets(of: matched, tagPairs: tagPairs) : nil
            return (page.map(\.key.id), next, facets)
        }
        // Still loading: the SQL search answers.
        guard let (page, next, facets) = answer else { return nil }

        var records: [SampleRecord] = []
        if !page.isEmpty {
            // Decoded straight from the cursor's rows, without copying each row first.
            // Cached: compiling a statement of every record column (GRDB's authorizer sees each one)
            // took a third of reading a page of 50 at 1M rows.
            let statement = try db.cachedStatement(sql: IndexReads.recordSelect + " WHERE id IN (\(LibraryData.placeholders(page.count)))")
            let rows = try Row.fetchCursor(statement, arguments: StatementArguments(page))
            var byID: [Int64: SampleRecord] = [:]
            while let row = try rows.next() {
                let record = IndexReads.record(row)
                byID[record.id] = record
            }
            // A row written since the columns were read may be gone; the page keeps the rest.
            records = page.compactMap { byID[$0] }
        }
        try LibraryData.annotate(&records, uid: uid, in: db)
        return FindResult(records: records, next: next, facets: facets)
    }

    /// The ids of the present files a query matches, or nil when it needs the SQL search.
    static func matchingIDs(_ query: LibraryQuery, compiler: QueryCompiler, columns: SearchColumns, in db: Database) throws -> [Int64]? {
        guard let prepared = try prepare(query, compiler: compiler, in: db) else { return nil }
        return try columns.read { storage in
            var ids: [Int64] = []
            storage.matches(prepared, words: WordSlotsCache()).forEach { ids.append(storage.ids[Int($0)]) }
            return ids
        }
    }

    /// The query prepared for the columns; nil when it needs SQL. Bad values throw `QueryError`.
    private static func prepare(_ query: LibraryQuery, compiler: QueryCompiler, in db: Database) throws -> ColumnQuery? {
        do { return try ColumnQuery.prepare(query, compiler: compiler, in: db) } catch is NotAnsweredInMemory { return nil }
    }
}
