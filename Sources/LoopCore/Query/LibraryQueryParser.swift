/// Parses the query language, usable from a shell and over RPC:
///
/// - words match names, folders and metadata (each a prefix: `kic` finds
///   "Kick_01"); `"dark pad"` matches the phrase;
/// - `field:value` conditions: `bpm:120..128`, `key:Am`, `key:8A`,
///   `type:loop`, `dur:<2`, `lufs:>-14`, `format:flac`, `rate:48000`,
///   `tag:dark`, `path:drums/`, `fav:yes`, `in:"collection name"`;
/// - `-term` or `NOT term` negates; terms side by side must all hold (`AND`
///   may be written); `OR` between terms; parentheses group.
///
/// Precedence: NOT binds tightest, then AND, then OR.
///
/// Queries come from any local user (and, through the web, from remote ones),
/// so their size is bounded before any work is done: every later stage walks
/// the parsed tree recursively, and the stack is the limit that matters.
public struct LibraryQueryParser {
    /// Characters a query may have; far above what a person types or a saved search needs.
    public static let maxLength = 16 * 1024
    /// Parentheses and NOTs nested inside each other.
    public static let maxDepth = 64
    /// Words, phrases and conditions in one query.
    public static let maxTerms = 1024

    public init() {}

    public func parse(_ text: String) throws(QueryError) -> LibraryQuery {
        guard text.utf8.count <= Self.maxLength else {
            throw QueryError("The query is \(text.utf8.count) bytes long; at most \(Self.maxLength) are accepted.")
        }
        var tokens = try Self.tokenize(text)[...]
        if tokens.isEmpty { return .all }
        let terms = tokens.count { if case .word = $0 { true } else if case .field = $0 { true } else { false } }
        guard terms <= Self.maxTerms else {
            throw QueryError("The query has \(terms) terms; at most \(Self.maxTerms) are accepted.")
        }
        let query = try parseOr(&tokens, depth: 0)
        if let extra = tokens.first { throw QueryError("Unexpected \(extra.description) in the query.") }
        return query
    }

    enum Token: Equatable, CustomStringConvertible {
        case word(String, quoted: Bool)
        case field(String, String)
        case open, close, or, and, not

        var description: String {
            switch self {
            case let .word(text, quoted): return quoted ? "\"\(text)\"" : "'\(text)'"
            case let .field(name, value): return "'\(name):\(value)'"
            case .open: return "'('"
            case .close: return "')'"
            case .or: return "'OR'"
            case .and: return "'AND'"
            case .not: return "'NOT'"
            }
        }
    }

    static func tokenize(_ text: String) throws(QueryError) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        func readQuoted() throws(QueryError) -> String {
            // At an opening quote.
            index = text.index(after: index)
            guard let end = text[index...].firstIndex(of: "\"") else { throw QueryError("A quote in the query is not closed.") }
            defer { index = text.index(after: end) }
            return String(text[index..<end])
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace { index = text.index(after: index); continue }
            if character == "(" { tokens.append(.open); index = text.index(after: index); continue }
            if character == ")" { tokens.append(.close); index = text.index(after: index); continue }
            if character == "\"" { tokens.append(.word(try readQuoted(), quoted: true)); continue }
            if character == "-", text.index(after: index) < text.endIndex, !text[text.index(after: index)].isWhitespace,
               tokens.last.map({ $0 != .not }) ?? true {
                tokens.append(.not)
                index = text.index(after: index)
                continue
            }
            // A bare word, possibly `field:value` with a quoted value.
            var word = ""
            while index < text.endIndex, !text[index].isWhitespace, text[index] != "(", text[index] != ")" {
                if text[index] == ":", QueryField(name: word) != nil {
                    index = text.index(after: index)
                    let value: String
                    if index < text.endIndex, text[index] == "\"" {
                        value = try readQuoted()
                    } else {
                        var bare = ""
                        while index < text.endIndex, !text[index].isWhitespace, text[index] != ")" { bare.append(text[index]); index = text.index(after: index) }
                        value = bare
                    }
                    guard !value.isEmpty else { throw QueryError("'\(word):' needs a value, as in \(word):\(Self.example(word)).") }
                    tokens.append(.field(word, value))
                    word = ""
                    break
                }
                word.append(text[index])
                index = text.index(after: index)
            }
            switch word {
            case "": continue
            case "OR", "|": tokens.append(.or)
            case "AND", "&": tokens.append(.and)
            case "NOT": tokens.append(.not)
            default: tokens.append(.word(word, quoted: false))
            }
        }
        return tokens
    }

    public static func example(_ field: String) -> String {
        switch QueryField(name: field) {
        case .bpm: return "120..128"
        case .key: return "Am"
        case .type: return "loop"
        case .dur: return "<2"
        case .lufs: return ">-14"
        case .format: return "flac"
        case .rate: return "48000"
        default: return "value"
        }
    }

    private func parseOr(_ tokens: inout ArraySlice<Token>, depth: Int) throws(QueryError) -> LibraryQuery {
        var parts = [try parseAnd(&tokens, depth: depth)]
        while tokens.first == .or {
            tokens.removeFirst()
            guard tokens.first != nil, tokens.first != .close else { throw QueryError("'OR' needs a term after it.") }
            parts.append(try parseAnd(&tokens, depth: depth))
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private func parseAnd(_ tokens: inout ArraySlice<Token>, depth: Int) throws(QueryError) -> LibraryQuery {
        var parts: [LibraryQuery] = []
        while let token = tokens.first, token != .or, token != .close {
            if token == .and {
                tokens.removeFirst()
                continue
            }
            parts.append(try parseUnary(&tokens, depth: depth))
        }
        guard !parts.isEmpty else { throw QueryError("The query has an empty group or an operator with nothing beside it.") }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private func parseUnary(_ tokens: inout ArraySlice<Token>, depth: Int) throws(QueryError) -> LibraryQuery {
        guard let token = tokens.popFirst() else { throw QueryError("The query ends where a term was expected.") }
        if token == .not || token == .open, depth >= Self.maxDepth {
            throw QueryError("The query nests parentheses and NOTs more than \(Self.maxDepth) deep.")
        }
        switch token {
        case .not:
            guard tokens.first != nil else { throw QueryError("'NOT' or '-' needs a term after it.") }
            return .not(try parseUnary(&tokens, depth: depth + 1))
        case .open:
            let inner = try parseOr(&tokens, depth: depth + 1)
            guard tokens.popFirst() == .close else { throw QueryError("A parenthesis in the query is not closed.") }
            return inner
        case let .word(text, quoted):
            return .text(text, phrase: quoted)
        case let .field(name, value):
            guard let field = QueryField(name: name) else { throw QueryError("Unknown field '\(name)'.") }
            return .field(field, value)
        case .close: throw QueryError("A closing parenthesis has no opening one.")
        case .or, .and: throw QueryError("\(token.description) needs a term before it.")
        }
    }
}
