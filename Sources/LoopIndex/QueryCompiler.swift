import Foundation
import GRDB
import LoopCore

/// Turns a parsed query into an SQL condition on the `file` table, with its arguments.
struct QueryCompiler {
    var halfDoubleTime = false
    var compatibleKeys = false
    /// Whose favourites `fav:` means.
    var uid: UInt32 = 0
    /// Finds the collection `in:` names, as the asking user sees it.
    var collectionID: (String) throws -> Int64? = { _ in nil }

    struct Condition {
        var sql: String
        var arguments: [any DatabaseValueConvertible]
    }

    func condition(_ query: LibraryQuery) throws(QueryError) -> Condition {
        switch query {
        case .all:
            return Condition(sql: "1", arguments: [])
        case let .text(text, phrase):
            guard let match = Self.matchExpression(text, phrase: phrase) else { return Condition(sql: "1", arguments: []) }
            return Condition(sql: "file.id IN (SELECT rowid FROM fileText WHERE fileText MATCH ?)", arguments: [match])
        case let .field(field, value):
            return try fieldCondition(field, value)
        case let .not(inner):
            let inner = try condition(inner)
            return Condition(sql: "NOT (\(inner.sql))", arguments: inner.arguments)
        case let .and(parts), let .or(parts):
            let joiner: String
            if case .and = query { joiner = " AND " } else { joiner = " OR " }
            var sql: [String] = [], arguments: [any DatabaseValueConvertible] = []
            for part in parts {
                let compiled = try condition(part)
                sql.append("(\(compiled.sql))")
                arguments += compiled.arguments
            }
            return Condition(sql: sql.joined(separator: joiner), arguments: arguments)
        }
    }

    /// The FTS5 expression for the words a query looks for outside any NOT, for ranking; nil when there are none.
    static func rankingExpression(_ query: LibraryQuery) -> String? {
        func positive(_ query: LibraryQuery) -> [String] {
            switch query {
            case let .text(text, phrase): return matchExpression(text, phrase: phrase).map { [$0] } ?? []
            case let .and(parts): return parts.flatMap(positive)
            case let .or(parts):
                let each = parts.map(positive).filter { !$0.isEmpty }
                return each.isEmpty ? [] : ["(" + each.map { "(" + $0.joined(separator: " AND ") + ")" }.joined(separator: " OR ") + ")"]
            case .all, .field, .not: return []
            }
        }
        let terms = positive(query)
        return terms.isEmpty ? nil : terms.joined(separator: " AND ")
    }

    /// FTS5 syntax for a word (each of its parts a prefix, with synonyms) or a phrase; nil when it has no letters or digits.
    static func matchExpression(_ text: String, phrase: Bool) -> String? {
        let tokens = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
        guard !tokens.isEmpty else { return nil }
        func quoted(_ token: String) -> String { "\"" + token.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        if phrase { return quoted(tokens.joined(separator: " ")) }
        return QueryValues.wordGroups(text).map { unique in
            unique.count == 1 ? quoted(unique[0]) + "*" : "(" + unique.map { quoted($0) + "*" }.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
    }

    func fieldCondition(_ field: QueryField, _ value: String) throws(QueryError) -> Condition {
        func range(_ column: String) throws(QueryError) -> Condition {
            guard let range = NumericRange(parsing: value) else {
                throw QueryError("'\(field.rawValue):\(value)' is not a number or range; write e.g. \(field.rawValue):\(LibraryQueryParser.example(field.rawValue)).")
            }
            return Self.rangeCondition(range, column)
        }
        switch field {
        case .bpm:
            guard let parsed = NumericRange(parsing: value) else { throw QueryError("'bpm:\(value)' is not a tempo or range; write e.g. bpm:120..128.") }
            var condition = Self.rangeCondition(parsed, "bpm")
            if halfDoubleTime {
                for factor in [2.0, 0.5] {
                    let other = Self.rangeCondition(parsed, "bpm * \(factor)")
                    condition = Condition(sql: "(\(condition.sql)) OR (\(other.sql))", arguments: condition.arguments + other.arguments)
                }
            }
            return condition
        case .key:
            let codes = try camelotCodes(value)
            return Condition(sql: "camelot IN (\(codes.map { _ in "?" }.joined(separator: ", ")))", arguments: codes)
        case .type:
            return Condition(sql: "type = ?", arguments: [try QueryValues.sampleType(value)])
        case .dur: return try range("duration")
        case .lufs: return try range("coalesce(loudnessLufs, clipLoudnessLufs)")
        case .rate: return try range("sampleRate")
        case .channels: return try range("channels")
        case .bits: return try range("bitDepth")
        case .format:
            return Condition(sql: "format = ?", arguments: [QueryValues.formatName(value)])
        case .instrument:
            return Self.automaticTagCondition(value)
        case .tag:
            // User tags on the file or a folder above it, or automatic ones (the instrument words of the names).
            let automatic = Self.automaticTagCondition(value)
            return Condition(
                sql: """
                    file.id IN (SELECT fileId FROM userTag WHERE tag = ?)
                    OR EXISTS (SELECT 1 FROM folderTag WHERE folderTag.tag = ? AND substr(file.path, 1, length(folderTag.folder) + 1) = folderTag.folder || '/')
                    OR \(automatic.sql)
                    """,
                arguments: [value, value] + automatic.arguments
            )
        case .path:
            let escaped = IndexReads.escapeLike(value)
            return Condition(sql: "(relativePath LIKE ? ESCAPE '\\' OR relativePath LIKE ? ESCAPE '\\')", arguments: [escaped + "%", "%/" + escaped + "%"])
        case .name:
            return Condition(sql: "relativePath LIKE ? ESCAPE '\\'", arguments: ["%" + IndexReads.escapeLike(value) + "%"])
        case .fav:
            let favourites = Condition(sql: "file.id IN (SELECT fileId FROM favourite WHERE uid = ?)", arguments: [Int64(uid)])
            return try QueryValues.favourites(value) ? favourites : Condition(sql: "NOT (\(favourites.sql))", arguments: favourites.arguments)
        case .in:
            let id: Int64?
            do { id = try collectionID(value) } catch { throw QueryError("The collection '\(value)' could not be looked up: \(error).") }
            guard let id else { throw QueryError("There is no collection named '\(value)' that you can see.") }
            return Condition(sql: "file.id IN (SELECT fileId FROM collectionItem WHERE collectionId = ?)", arguments: [id])
        case .addedby:
            guard let owner = UnixUsers.uid(of: value) else { throw QueryError("'addedby:\(value)' names no user on this system.") }
            return Condition(sql: "ownerUid = ?", arguments: [Int64(owner)])
        case .artist:
            return Condition(sql: "(takeArtist = ? COLLATE NOCASE OR artist = ? COLLATE NOCASE)", arguments: [value, value])
        case .song: return Condition(sql: "takeSong = ? COLLATE NOCASE", arguments: [value])
        case .track: return Condition(sql: "takeTrack = ? COLLATE NOCASE", arguments: [value])
        case .version: return Condition(sql: "takeVersion = ? COLLATE NOCASE", arguments: [value])
        }
    }

    /// The Camelot codes `key:value` matches (with its neighbours when compatible keys are on).
    func camelotCodes(_ value: String) throws(QueryError) -> [String] {
        try QueryValues.camelotCodes(value, compatible: compatibleKeys)
    }

    static func automaticTagCondition(_ value: String) -> Condition {
        let words = QuerySynonyms.expand(value)
        return Condition(sql: words.map { _ in "(',' || instruments || ',') LIKE ?" }.joined(separator: " OR "), arguments: words.map { "%," + $0 + ",%" })
    }

    static func rangeCondition(_ range: NumericRange, _ column: String) -> Condition {
        var sql: [String] = [], arguments: [any DatabaseValueConvertible] = []
        if let lower = range.lower {
            sql.append("\(column) \(range.lowerInclusive ? ">=" : ">") ?")
            arguments.append(lower)
        }
        if let upper = range.upper {
            sql.append("\(column) \(range.upperInclusive ? "<=" : "<") ?")
            arguments.append(upper)
        }
        return Condition(sql: sql.isEmpty ? "\(column) IS NOT NULL" : sql.joined(separator: " AND "), arguments: arguments)
    }
}
