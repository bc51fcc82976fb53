import Foundation
import LoopCore
import PostgresNIO

/// Turns a parsed query into a condition on `catalog_sound`, with its binds: the query language of
/// the index (`LibraryQueryParser`, `QueryValues`) compiled for PostgreSQL. Favourites and
/// collections are the catalogue's own (the searching account's, and collections shared with it);
/// fields whose data stays on each server (tags, owners, takes) are refused with a sentence.
struct CatalogQueryCompiler {
    var halfDoubleTime = false
    var compatibleKeys = false
    /// Whose favourites `fav:` means; nil when no account searches.
    var account: String?
    /// The owner of each collection `in:` names, as `CatalogSearch` looked them up for the account.
    var collectionOwners: [String: String] = [:]
    private(set) var bindings = PostgresBindings()

    /// The placeholder of a new bind.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func condition(_ query: LibraryQuery) throws(QueryError) -> String {
        switch query {
        case .all:
            return "true"
        case let .text(text, phrase):
            return textCondition(text, phrase: phrase) ?? "true"
        case let .field(field, value):
            return try fieldCondition(field, value)
        case let .not(inner):
            return "NOT (\(try condition(inner)))"
        case let .and(parts), let .or(parts):
            var compiled: [String] = []
            for part in parts { compiled.append("(" + (try condition(part)) + ")") }
            if case .and = query { return compiled.joined(separator: " AND ") }
            return compiled.joined(separator: " OR ")
        }
    }

    /// Free text matched against the words of names and metadata; nil when it has no letters or digits.
    mutating func textCondition(_ text: String, phrase: Bool) -> String? {
        tsquery(text, phrase: phrase).map { "words @@ " + $0 }
    }

    /// The tsquery of free text: every word a prefix, each with its synonyms; a phrase in order.
    mutating func tsquery(_ text: String, phrase: Bool) -> String? {
        if phrase {
            // A phrase is its own words in order, without synonyms (as in the index).
            let tokens = text.lowercased().split { !($0.isLetter || $0.isNumber) }
            return tokens.isEmpty ? nil : "phraseto_tsquery('simple', \(bind(tokens.joined(separator: " "))))"
        }
        let groups = QueryValues.wordGroups(text)
        guard !groups.isEmpty else { return nil }
        // Words hold letters and digits only (QueryValues splits on the rest), so they are safe in a tsquery.
        let expression = groups.map { group in "(" + group.map { $0 + ":*" }.joined(separator: " | ") + ")" }.joined(separator: " & ")
        return "to_tsquery('simple', \(bind(expression)))"
    }

    mutating func fieldCondition(_ field: QueryField, _ value: String) throws(QueryError) -> String {
        switch field {
        case .bpm:
            guard let range = NumericRange(parsing: value) else { throw QueryError("'bpm:\(value)' is not a tempo or range; write e.g. bpm:120..128.") }
            var sql = rangeCondition(range, "bpm")
            if halfDoubleTime {
                for factor in ["2.0", "0.5"] { sql = "(\(sql)) OR (\(rangeCondition(range, "bpm * \(factor)")))" }
            }
            return sql
        case .key:
            return "camelot = ANY(\(bind(try QueryValues.camelotCodes(value, compatible: compatibleKeys))))"
        case .type:
            return "sound_type = \(bind(try QueryValues.sampleType(value).rawValue))"
        case .format:
            return "format = \(bind(QueryValues.formatName(value)))"
        case .dur: return try range(field, value, "duration")
        case .lufs: return try range(field, value, "loudness")
        case .rate: return try range(field, value, "sample_rate")
        case .channels: return try range(field, value, "channels")
        case .bits: return try range(field, value, "bit_depth")
        case .instrument:
            return "instruments && \(bind(QuerySynonyms.expand(value)))"
        case .path:
            let pattern = Self.escapeLike(value)
            return "(relative_path ILIKE \(bind(pattern + "%")) OR relative_path ILIKE \(bind("%/" + pattern + "%")))"
        case .name:
            return "relative_path ILIKE \(bind("%" + Self.escapeLike(value) + "%"))"
        case .artist:
            return "lower(record->>'artist') = lower(\(bind(value)))"
        case .fav:
            guard let account else { throw QueryError("'fav:' needs an account: favourites on every server are each account's own.") }
            let favourites = "EXISTS (SELECT 1 FROM catalog_favourite f WHERE f.account = \(bind(account)) AND f.host = s.host AND f.file_id = s.file_id)"
            return try QueryValues.favourites(value) ? favourites : "NOT " + favourites
        case .in:
            guard let owner = collectionOwners[value] else { throw QueryError("There is no collection named '\(value)' that you can see on every server.") }
            return "EXISTS (SELECT 1 FROM catalog_collection_item i WHERE i.owner = \(bind(owner)) AND i.name = \(bind(value)) AND i.host = s.host AND i.file_id = s.file_id)"
        case .tag, .addedby, .song, .track, .version:
            throw QueryError("'\(field.rawValue):' is not searchable on every server: tags, owners and takes stay with each server's own index; search that server.")
        }
    }

    /// The collection names a query's `in:` fields give, to be looked up before compiling.
    static func collectionNames(in query: LibraryQuery) -> Set<String> {
        switch query {
        case .all, .text: return []
        case let .field(field, value): return field == .in ? [value] : []
        case let .not(inner): return collectionNames(in: inner)
        case let .and(parts), let .or(parts): return parts.reduce(into: []) { $0.formUnion(collectionNames(in: $1)) }
        }
    }

    private mutating func range(_ field: QueryField, _ value: String, _ column: String) throws(QueryError) -> String {
        guard let range = NumericRange(parsing: value) else {
            throw QueryError("'\(field.rawValue):\(value)' is not a number or range; write e.g. \(field.rawValue):\(LibraryQueryParser.example(field.rawValue)).")
        }
        return rangeCondition(range, column)
    }

    mutating func rangeCondition(_ range: NumericRange, _ column: String) -> String {
        var parts: [String] = []
        if let lower = range.lower { parts.append("\(column) \(range.lowerInclusive ? ">=" : ">") \(bind(lower))") }
        if let upper = range.upper { parts.append("\(column) \(range.upperInclusive ? "<=" : "<") \(bind(upper))") }
        return parts.isEmpty ? "\(column) IS NOT NULL" : parts.joined(separator: " AND ")
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
