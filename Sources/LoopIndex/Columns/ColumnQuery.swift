import GRDB
import LoopCore

/// A query the in-memory columns cannot answer exactly (a phrase of several words, LIKE wildcards
/// in a tag); the search runs in SQL instead.
struct NotAnsweredInMemory: Error {}

/// A condition's value per slot under SQL's three-valued logic: where it is true, where it is
/// false, and NULL elsewhere (so `-bpm:120..128` leaves out rows without a tempo, as SQL does).
struct Truth {
    var yes: SlotSet
    var no: SlotSet
}

/// A parsed query, ready to run on the columns: text split into words, field values checked,
/// and the parts only SQLite holds (favourites, collections, user and folder tags, takes) read
/// beforehand, so the columns stay locked only while they are evaluated.
indirect enum ColumnQuery {
    case all
    /// Words, all required, each one of alternatives (synonyms); `prefix` as FTS5's `"word"*`.
    case text(groups: [[String]], prefix: Bool)
    case range(NumericColumn, NumericRange, halfDoubleTime: Bool)
    case coded(CodedColumn, Set<String>)
    /// Automatic tags: `instruments` holding one of the words.
    case instrument([String])
    case ownerUid(Int64)
    /// `path:` (at the start of the relative path or of a folder in it) or `name:` (anywhere in it); ASCII case-insensitive, as LIKE.
    case relativePath(String, anywhere: Bool)
    /// Rows SQLite found; `no` nil means every other row (the condition is never NULL).
    case ids(yes: [Int64], no: [Int64]?)
    /// A tag: user- or folder-tagged ids from SQLite, or the automatic tag.
    case tag(ids: [Int64], automatic: [String])
    case not(ColumnQuery)
    case and([ColumnQuery])
    case or([ColumnQuery])

    enum NumericColumn { case bpm, duration, loudness, sampleRate, channels, bitDepth }
    enum CodedColumn { case camelot, type, format }

    /// Checks the query and prepares it (throws `QueryError` for bad values, `NotAnsweredInMemory` for what needs SQL).
    static func prepare(_ query: LibraryQuery, compiler: QueryCompiler, in db: Database) throws -> ColumnQuery {
        switch query {
        case .all: return .all
        case let .text(text, phrase):
            guard QueryCompiler.matchExpression(text, phrase: phrase) != nil else { return .all }
            if phrase {
                let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.joined(separator: " ")
                let tokens = TextTokens.tokens(words)
                guard tokens.count == 1 else { throw NotAnsweredInMemory() }
                return .text(groups: [tokens], prefix: false)
            }
            let groups = try QueryValues.wordGroups(text).map { group in
                try group.map { word in
                    // FTS5 reads a quoted word with its own tokenizer; one that splits there is a phrase.
                    let tokens = TextTokens.tokens(word)
                    guard tokens.count == 1 else { throw NotAnsweredInMemory() }
                    return tokens[0]
                }
            }
            return .text(groups: groups, prefix: true)
        case let .not(inner): return .not(try prepare(inner, compiler: compiler, in: db))
        case let .and(parts): return .and(try parts.map { try prepare($0, compiler: compiler, in: db) })
        case let .or(parts): return .or(try parts.map { try prepare($0, compiler: compiler, in: db) })
        case let .field(field, value): return try prepareField(field, value, compiler: compiler, in: db)
        }
    }

    private static func prepareField(_ field: QueryField, _ value: String, compiler: QueryCompiler, in db: Database) throws -> ColumnQuery {
        // Compiling checks the value and gives the same errors the SQL search gives.
        let condition = try compiler.fieldCondition(field, value)
        func range(_ column: NumericColumn) throws -> ColumnQuery {
            guard let range = NumericRange(parsing: value) else { throw NotAnsweredInMemory() }
            return .range(column, range, halfDoubleTime: column == .bpm && compiler.halfDoubleTime)
        }
        switch field {
        case .bpm: return try range(.bpm)
        case .dur: return try range(.duration)
        case .lufs: return try range(.loudness)
        case .rate: return try range(.sampleRate)
        case .channels: return try range(.channels)
        case .bits: return try range(.bitDepth)
        case .key: return .coded(.camelot, Set(try compiler.camelotCodes(value)))
        case .type: return .coded(.type, [try QueryValues.sampleType(value).rawValue])
        case .format: return .coded(.format, [QueryValues.formatName(value)])
        case .instrument: return .instrument(try likeWords(value))
        case .path: return .relativePath(value, anywhere: false)
        case .name: return .relativePath(value, anywhere: true)
        case .addedby:
            guard let owner = condition.arguments.first as? Int64 else { throw NotAnsweredInMemory() }
            return .ownerUid(owner)
        case .fav:
            let favourites = try Int64.fetchAll(db, sql: "SELECT fileId FROM favourite WHERE uid = ?", arguments: [Int64(compiler.uid)])
            // The compiled condition is the favourites themselves or their negation.
            return condition.sql.hasPrefix("NOT") ? .not(.ids(yes: favourites, no: nil)) : .ids(yes: favourites, no: nil)
        case .in:
            guard let collection = try compiler.collectionID(value) else { throw NotAnsweredInMemory() }
            return .ids(yes: try Int64.fetchAll(db, sql: "SELECT fileId FROM collectionItem WHERE collectionId = ?", arguments: [collection]), no: nil)
        case .tag:
            var ids = try Int64.fetchAll(db, sql: "SELECT fileId FROM userTag WHERE tag = ?", arguments: [value])
            for folder in try String.fetchAll(db, sql: "SELECT folder FROM folderTag WHERE tag = ?", arguments: [value]) {
                // Paths starting with "folder/" sort between "folder/" and "folder0" ('0' follows '/').
                ids += try Int64.fetchAll(db, sql: "SELECT id FROM file WHERE path >= ? AND path < ?", arguments: [folder + "/", folder + "0"])
            }
            return .tag(ids: ids, automatic: try likeWords(value))
        case .artist, .song, .track, .version:
            let arguments = StatementArguments(condition.arguments.map { Optional($0) })
            let yes = try Int64.fetchAll(db, sql: "SELECT id FROM file WHERE \(condition.sql)", arguments: arguments)
            let no = try Int64.fetchAll(db, sql: "SELECT id FROM file WHERE NOT (\(condition.sql))", arguments: arguments)
            return .ids(yes: yes, no: no)
        }
    }

    /// The automatic-tag words of a value, lower-cased; LIKE wildcards in them are left to SQL.
    private static func likeWords(_ value: String) throws -> [String] {
        let words = QuerySynonyms.expand(value)
        guard !words.contains(where: { $0.contains("%") || $0.contains("_") }) else { throw NotAnsweredInMemory() }
        return words
    }
}
