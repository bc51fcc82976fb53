import Foundation

/// A query in the subset of Elasticsearch's `query_string` syntax that
/// Samba's Spotlight service (mdssvc) sends: terms with `*`/`?` wildcards,
/// quoted phrases, `field:value`, `field:(a b)` lists, ranges
/// `[a TO b]` / `{a TO *}`, AND / OR / NOT and parentheses.
public indirect enum SpotlightQuery: Sendable, Equatable {
    /// A term or phrase; `field` nil means every text field (Finder's plain search box).
    case term(field: String?, SpotlightTerm)
    /// `field:(a b c)`: any of the terms (Samba lists the MIME types of a kind this way).
    case anyOf(field: String, [SpotlightTerm])
    case range(field: String, lower: String?, upper: String?, includesLower: Bool, includesUpper: Bool)
    case not(SpotlightQuery)
    case and([SpotlightQuery])
    case or([SpotlightQuery])
}

extension SpotlightQuery {
    /// The folder the whole query is confined to: a `path.real.fulltext` term on
    /// its own or beside the rest under AND, as Samba adds the share's path. Nil
    /// when nothing confines it (a term under OR or NOT does not).
    public var scope: String? {
        switch self {
        case let .term(field: "path.real.fulltext", term): return term.plainText
        case let .and(parts): return parts.lazy.compactMap(\.scope).first
        default: return nil
        }
    }
}

/// A term's text with its wildcards told apart from escaped literal `*` and `?`.
public struct SpotlightTerm: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        /// `*`: any run of characters.
        case anyRun
        /// `?`: one character.
        case anyOne
    }

    public var parts: [Part]
    /// A quoted phrase (no wildcards inside).
    public var phrase: Bool

    public init(parts: [Part], phrase: Bool = false) {
        self.parts = parts
        self.phrase = phrase
    }

    public init(_ text: String, phrase: Bool = false) {
        self.init(parts: text.isEmpty ? [] : [.text(text)], phrase: phrase)
    }

    /// The text with wildcards left out.
    public var plainText: String {
        parts.map { part in
            if case let .text(text) = part { return text }
            return ""
        }.joined()
    }

    public var hasWildcards: Bool { parts.contains { $0 == .anyRun || $0 == .anyOne } }

    /// A SQL LIKE pattern (with `\` as the escape) matching the whole value.
    public var likePattern: String {
        parts.map { part in
            switch part {
            case let .text(text):
                return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            case .anyRun: return "%"
            case .anyOne: return "_"
            }
        }.joined()
    }
}

/// Why a Spotlight query string could not be used, as one sentence.
public struct SpotlightQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
