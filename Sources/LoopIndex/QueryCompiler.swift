import Foundation
import GRDB
import LoopCore

/// Turns a parsed query into an SQL condition on the `file` table, with its arguments.
struct QueryCompiler {
    var halfDoubleTime = false
    var compatibleKeys = false

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
        return tokens.map { token in
            let words = QuerySynonyms.expand(token).flatMap { $0.split { !($0.isLetter || $0.isNumber) }.map(String.init) }
            let unique = words.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            return unique.count == 1 ? quoted(unique[0]) + "*" : "(" + unique.map { quoted($0) + "*" }.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
    }

    private func fieldCondition(_ field: QueryField, _ value: String) throws(QueryError) -> Condition {
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
            guard let key = MusicalKey(nameOrCamelot: value) else { throw QueryError("'key:\(value)' is not a key; write e.g. key:Am, key:F# or key:8A.") }
            let codes = (compatibleKeys ? key.compatibleKeys : [key]).map(\.camelot)
            return Condition(sql: "camelot IN (\(codes.map { _ in "?" }.joined(separator: ", ")))", arguments: codes)
        case .type:
            switch value.lowercased() {
            case "loop", "loops": return Condition(sql: "type = 'loop'", arguments: [])
            case "one-shot", "oneshot", "shot", "one-shots", "oneshots": return Condition(sql: "type = 'one-shot'", arguments: [])
            default: throw QueryError("'type:\(value)' is not a type; write type:loop or type:one-shot.")
            }
        case .dur: return try range("duration")
        case .lufs: return try range("coalesce(loudnessLufs, clipLoudnessLufs)")
        case .rate: return try range("sampleRate")
        case .channels: return try range("channels")
        case .bits: return try range("bitDepth")
        case .format:
            let format = ["aif": "aiff", "aifc": "aiff", "wave": "wav", "oga": "ogg"][value.lowercased()] ?? value.lowercased()
            return Condition(sql: "format = ?", arguments: [format])
        case .tag, .instrument:
            // Automatic tags: the instrument words of the names (user tags are not stored yet).
            let words = QuerySynonyms.expand(value)
            return Condition(sql: words.map { _ in "(',' || instruments || ',') LIKE ?" }.joined(separator: " OR "), arguments: words.map { "%," + $0 + ",%" })
        case .path:
            let escaped = IndexReads.escapeLike(value)
            return Condition(sql: "(relativePath LIKE ? ESCAPE '\\' OR relativePath LIKE ? ESCAPE '\\')", arguments: [escaped + "%", "%/" + escaped + "%"])
        case .name:
            return Condition(sql: "relativePath LIKE ? ESCAPE '\\'", arguments: ["%" + IndexReads.escapeLike(value) + "%"])
        case .fav, .in:
            throw QueryError("'\(field.rawValue):' needs favourites and collections, which this version of loopd does not keep yet.")
        }
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
