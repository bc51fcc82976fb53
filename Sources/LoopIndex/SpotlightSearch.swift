import Foundation
import GRDB
import LoopAPI
import LoopCore

/// Runs a `SpotlightQuery` against the index. The fields are those of the
/// mappings file loopd ships (`etc/elasticsearch_mappings.json`):
///
/// | field | matches |
/// |---|---|
/// | (none), `content` | words in names, folders, tags and metadata |
/// | `file.filename` | the file name (wildcards; plain text matches within it) |
/// | `path.real` | the absolute path |
/// | `path.real.fulltext` | the share's scope: the path and everything below it |
/// | `file.filesize` | bytes |
/// | `file.last_modified`, `file.created` | modification time, time added |
/// | `file.content_type` | MIME types: `audio/*`, `audio/wav`, `audio/aiff`, `audio/mpeg`, `audio/flac`, `audio/ogg` |
/// | `audio.duration`, `audio.tempo`, `audio.key`, `audio.sample_rate`, `audio.channels`, `audio.bits` | the analysis |
/// | `meta.title`, `meta.artist`, `meta.genre` | tags stored in the file |
enum SpotlightSearch {
    static func run(_ query: SpotlightQuery, from: Int, size: Int, in db: Database) throws -> SpotlightResult {
        let condition = try compile(query)
        let filter = " FROM file WHERE missingSince IS NULL AND (\(condition.sql))"
        let arguments = StatementArguments(condition.arguments.map { Optional($0) })
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*)" + filter, arguments: arguments) ?? 0
        let paths = try String.fetchAll(db, sql: "SELECT path" + filter + " ORDER BY path LIMIT ? OFFSET ?", arguments: arguments + [size, from])
        return SpotlightResult(total: total, paths: paths)
    }

    typealias Condition = QueryCompiler.Condition

    /// The file name column (see the v8 migration).
    static let fileName = "fileName"

    static func compile(_ query: SpotlightQuery) throws(SpotlightQueryError) -> Condition {
        switch query {
        case let .term(field, term):
            return try termCondition(field, term)
        case let .anyOf(field, terms):
            guard !terms.isEmpty else { return Condition(sql: "0", arguments: []) }
            return try join(terms.map { term throws(SpotlightQueryError) in try termCondition(field, term) }, with: " OR ")
        case let .range(field, lower, upper, includesLower, includesUpper):
            let column = try numericColumn(field)
            var parts: [String] = [], arguments: [any DatabaseValueConvertible] = []
            if let lower {
                parts.append("\(column.sql) \(includesLower ? ">=" : ">") ?")
                arguments.append(try column.value(lower))
            }
            if let upper {
                parts.append("\(column.sql) \(includesUpper ? "<=" : "<") ?")
                arguments.append(try column.value(upper))
            }
            return Condition(sql: parts.isEmpty ? "\(column.sql) IS NOT NULL" : parts.joined(separator: " AND "), arguments: arguments)
        case let .not(inner):
            let compiled = try compile(inner)
            return Condition(sql: "NOT (\(compiled.sql))", arguments: compiled.arguments)
        case let .and(parts):
            return try join(parts.map { part throws(SpotlightQueryError) in try compile(part) }, with: " AND ")
        case let .or(parts):
            return try join(parts.map { part throws(SpotlightQueryError) in try compile(part) }, with: " OR ")
        }
    }

    private static func join(_ conditions: [Condition], with joiner: String) throws(SpotlightQueryError) -> Condition {
        Condition(sql: conditions.map { "(\($0.sql))" }.joined(separator: joiner), arguments: conditions.flatMap(\.arguments))
    }

    /// A numeric or date column and how to read a bound for it.
    struct NumericColumn {
        var sql: String
        var value: (String) throws(SpotlightQueryError) -> any DatabaseValueConvertible
    }

    static func numericColumn(_ field: String) throws(SpotlightQueryError) -> NumericColumn {
        func number(_ text: String) throws(SpotlightQueryError) -> any DatabaseValueConvertible {
            guard let value = Double(text) else { throw SpotlightQueryError("'\(field)' needs a number, not '\(text)'.") }
            return value
        }
        func date(_ text: String) throws(SpotlightQueryError) -> any DatabaseValueConvertible {
            guard let value = isoDate(text) else { throw SpotlightQueryError("'\(field)' needs a date such as 2024-05-01T12:00:00Z, not '\(text)'.") }
            return value
        }
        switch field {
        case "file.filesize": return NumericColumn(sql: "size", value: number)
        case "audio.duration": return NumericColumn(sql: "duration", value: number)
        case "audio.tempo": return NumericColumn(sql: "bpm", value: number)
        case "audio.sample_rate": return NumericColumn(sql: "sampleRate", value: number)
        case "audio.channels": return NumericColumn(sql: "channels", value: number)
        case "audio.bits": return NumericColumn(sql: "bitDepth", value: number)
        case "file.last_modified": return NumericColumn(sql: "(mtimeNs / 1000000000.0)", value: date)
        case "file.created": return NumericColumn(sql: "addedAt", value: date)
        default: throw SpotlightQueryError("'\(field)' is not a field with numbers or dates that loopd knows.")
        }
    }

    static func termCondition(_ field: String?, _ term: SpotlightTerm) throws(SpotlightQueryError) -> Condition {
        switch field {
        case nil, "content":
            // Words as prefixes through the full-text index; a leading wildcard needs a scan of the names.
            if case .anyRun? = term.parts.first {
                return Condition(sql: "relativePath LIKE ? ESCAPE '\\'", arguments: [term.likePattern + (term.hasWildcards ? "" : "%")])
            }
            guard let match = QueryCompiler.matchExpression(term.plainText, phrase: term.phrase) else { return Condition(sql: "1", arguments: []) }
            return Condition(sql: "file.id IN (SELECT rowid FROM fileText WHERE fileText MATCH ?)", arguments: [match])
        case "file.filename":
            // "Kick*" (Finder's "begins with"): a range over the name index; other patterns scan the names.
            if case let .text(prefix)? = term.parts.first, term.parts.count == 2, term.parts.last == .anyRun,
               prefix.unicodeScalars.allSatisfy({ $0.isASCII }) {
                return Condition(sql: "\(fileName) >= ? AND \(fileName) < ?", arguments: [prefix, prefix + "\u{10FFFF}"])
            }
            return Condition(sql: "\(fileName) LIKE ? ESCAPE '\\'", arguments: [term.hasWildcards ? term.likePattern : "%" + term.likePattern + "%"])
        case "path.real":
            return Condition(sql: "path LIKE ? ESCAPE '\\'", arguments: [term.likePattern])
        case "path.real.fulltext":
            // The share's scope: Samba adds it to every query so results stay inside the share.
            let scope = term.plainText.count > 1 && term.plainText.hasSuffix("/") ? String(term.plainText.dropLast()) : term.plainText
            guard scope.hasPrefix("/") else { throw SpotlightQueryError("The path scope must be an absolute path, not '\(scope)'.") }
            let below = scope == "/" ? "/" : scope + "/"
            return Condition(sql: "(path = ? OR substr(path, 1, ?) = ?)", arguments: [scope, below.unicodeScalars.count, below])
        case "file.content_type":
            return contentTypeCondition(term.plainText.lowercased(), wildcard: term.hasWildcards)
        case "audio.key":
            guard let key = MusicalKey(nameOrCamelot: term.plainText) ?? MusicalKey(parsing: term.plainText) else { return Condition(sql: "0", arguments: []) }
            return Condition(sql: "camelot = ?", arguments: [key.camelot])
        case "meta.title", "meta.artist", "meta.genre":
            let column = ["meta.title": "title", "meta.artist": "artist", "meta.genre": "genre"][field ?? ""] ?? "title"
            return Condition(sql: "\(column) LIKE ? ESCAPE '\\'", arguments: [term.hasWildcards ? term.likePattern : "%" + term.likePattern + "%"])
        case let field?:
            let column = try numericColumn(field)
            if field == "file.last_modified" || field == "file.created" {
                // A date names its whole second.
                guard let second = isoDate(term.plainText) else { throw SpotlightQueryError("'\(field)' needs a date such as 2024-05-01T12:00:00Z.") }
                return Condition(sql: "\(column.sql) >= ? AND \(column.sql) < ?", arguments: [second, second + 1])
            }
            return Condition(sql: "\(column.sql) = ?", arguments: [try column.value(term.plainText)])
        }
    }

    /// MIME types to formats; every indexed file is audio, and no other type matches anything.
    static func contentTypeCondition(_ type: String, wildcard: Bool) -> Condition {
        if type == "audio/" && wildcard || type == "audio" { return Condition(sql: "1", arguments: []) }
        let formats: [String: String] = [
            "audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav", "audio/vnd.wave": "wav",
            "audio/aiff": "aiff", "audio/x-aiff": "aiff", "audio/mpeg": "mp3", "audio/mp3": "mp3",
            "audio/flac": "flac", "audio/x-flac": "flac", "audio/ogg": "ogg", "audio/vorbis": "ogg",
        ]
        guard let format = formats[type] else { return Condition(sql: "0", arguments: []) }
        return Condition(sql: "format = ?", arguments: [format])
    }

    static func isoDate(_ text: String) -> Double? {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}

extension IndexStore {
    /// A Spotlight query from Samba, one page of paths (see `SpotlightSearch`).
    public func spotlight(_ query: SpotlightQuery, from: Int, size: Int) async throws -> SpotlightResult {
        try await pool.read { db in try SpotlightSearch.run(query, from: from, size: size, in: db) }
    }

    /// A query as Samba sends it: parsed, and refused (`SpotlightQueryError`) unless confined to a
    /// share, since an unconfined one would list every root to any local user.
    public func spotlight(_ request: SpotlightSearchRequest) async throws -> SpotlightResult {
        guard request.from >= 0, (0...SpotlightSearchRequest.maxPageSize).contains(request.size) else {
            throw SpotlightQueryError("'from' must be at least 0 and 'size' between 0 and \(SpotlightSearchRequest.maxPageSize).")
        }
        let query = try SpotlightQueryParser().parse(request.query)
        guard query.scope != nil else {
            throw SpotlightQueryError("The query is not confined to a share: it needs path.real.fulltext:\"/path/of/the/share\" beside its terms.")
        }
        return try await spotlight(query, from: request.from, size: request.size)
    }
}
