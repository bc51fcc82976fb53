/// Parses the `query_string` syntax Samba's mdssvc emits (see `SpotlightQuery`).
///
/// A backslash makes the next character literal (Samba escapes spaces,
/// slashes, colons and dashes this way, also inside field names such as
/// `meta.raw.xmpDM\:duration`). As in Elasticsearch, terms side by side
/// without an operator are alternatives (OR). Input is bounded by the caller.
public struct SpotlightQueryParser: Sendable {
    enum Token: Equatable {
        case word(SpotlightTerm, raw: String)
        case phrase(String)
        case field(String)
        case open, close, and, or, not
        case rangeOpen(inclusive: Bool), rangeClose(inclusive: Bool), to
    }

    public init() {}

    public func parse(_ text: String) throws(SpotlightQueryError) -> SpotlightQuery {
        var tokens = try tokenize(text)[...]
        guard !tokens.isEmpty else { throw SpotlightQueryError("The query is empty.") }
        let query = try parseOr(&tokens, depth: 0)
        guard tokens.isEmpty else { throw SpotlightQueryError("Unexpected \(describe(tokens.first)) in the query.") }
        return query
    }

    // MARK: Tokens

    func tokenize(_ text: String) throws(SpotlightQueryError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        var rangeDepth = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
                continue
            }
            switch character {
            case "(": tokens.append(.open); index += 1; continue
            case ")": tokens.append(.close); index += 1; continue
            case "[", "{":
                tokens.append(.rangeOpen(inclusive: character == "["))
                rangeDepth += 1
                index += 1
                continue
            case "]", "}":
                tokens.append(.rangeClose(inclusive: character == "]"))
                rangeDepth -= 1
                index += 1
                continue
            case "\"":
                var phrase = ""
                index += 1
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if next == "\\", index + 1 < characters.count {
                        phrase.append(characters[index + 1])
                        index += 2
                        continue
                    }
                    if next == "\"" {
                        closed = true
                        index += 1
                        break
                    }
                    phrase.append(next)
                    index += 1
                }
                guard closed else { throw SpotlightQueryError("A quoted phrase has no closing quote.") }
                tokens.append(.phrase(phrase))
                continue
            default:
                break
            }
            // A word: up to whitespace or an unescaped special character.
            var parts: [SpotlightTerm.Part] = []
            var literal = ""
            var raw = ""
            var escaped = false
            while index < characters.count {
                let next = characters[index]
                if next == "\\" {
                    guard index + 1 < characters.count else { throw SpotlightQueryError("The query ends with a lone backslash.") }
                    literal.append(characters[index + 1])
                    raw.append(characters[index + 1])
                    escaped = true
                    index += 2
                    continue
                }
                if next.isWhitespace || "()[]{}\":".contains(next) { break }
                if next == "*" || next == "?" {
                    if !literal.isEmpty { parts.append(.text(literal)); literal = "" }
                    parts.append(next == "*" ? .anyRun : .anyOne)
                } else {
                    literal.append(next)
                }
                raw.append(next)
                index += 1
            }
            if !literal.isEmpty { parts.append(.text(literal)) }
            if index < characters.count, characters[index] == ":" {
                guard !raw.isEmpty else { throw SpotlightQueryError("A ':' has no field name before it.") }
                tokens.append(.field(raw))
                index += 1
                continue
            }
            if !escaped, rangeDepth == 0 || raw != "TO" {
                switch raw {
                case "AND", "&&": tokens.append(.and); continue
                case "OR", "||": tokens.append(.or); continue
                case "NOT": tokens.append(.not); continue
                default: break
                }
            }
            if !escaped, raw == "TO", rangeDepth > 0 {
                tokens.append(.to)
                continue
            }
            guard !raw.isEmpty else { throw SpotlightQueryError("Unexpected '\(character)' in the query.") }
            tokens.append(.word(SpotlightTerm(parts: parts), raw: raw))
        }
        return tokens
    }

    // MARK: Grammar

    private static let maxDepth = 64

    private func parseOr(_ tokens: inout ArraySlice<Token>, depth: Int) throws(SpotlightQueryError) -> SpotlightQuery {
        guard depth < Self.maxDepth else { throw SpotlightQueryError("The query nests too deeply.") }
        var parts = [try parseAnd(&tokens, depth: depth)]
        while let next = tokens.first, next != .close {
            if next == .or { tokens.removeFirst() }
            // Terms side by side are alternatives, as in Elasticsearch.
            parts.append(try parseAnd(&tokens, depth: depth))
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private func parseAnd(_ tokens: inout ArraySlice<Token>, depth: Int) throws(SpotlightQueryError) -> SpotlightQuery {
        var parts = [try parseUnary(&tokens, depth: depth)]
        while tokens.first == .and {
            tokens.removeFirst()
            parts.append(try parseUnary(&tokens, depth: depth))
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private func parseUnary(_ tokens: inout ArraySlice<Token>, depth: Int) throws(SpotlightQueryError) -> SpotlightQuery {
        guard let token = tokens.popFirst() else { throw SpotlightQueryError("The query ends where a term was expected.") }
        switch token {
        case .not:
            return .not(try parseUnary(&tokens, depth: depth + 1))
        case .open:
            let inner = try parseOr(&tokens, depth: depth + 1)
            guard tokens.popFirst() == .close else { throw SpotlightQueryError("A '(' has no matching ')'.") }
            return inner
        case let .field(name):
            return try parseValue(of: name, &tokens)
        case let .word(term, _):
            return .term(field: nil, term)
        case let .phrase(text):
            return .term(field: nil, SpotlightTerm(text, phrase: true))
        default:
            throw SpotlightQueryError("Unexpected \(describe(token)) in the query.")
        }
    }

    private func parseValue(of field: String, _ tokens: inout ArraySlice<Token>) throws(SpotlightQueryError) -> SpotlightQuery {
        guard let token = tokens.popFirst() else { throw SpotlightQueryError("'\(field):' has no value.") }
        switch token {
        case let .word(term, _):
            return .term(field: field, term)
        case let .phrase(text):
            return .term(field: field, SpotlightTerm(text, phrase: true))
        case .open:
            var terms: [SpotlightTerm] = []
            while let next = tokens.popFirst() {
                switch next {
                case .close: return .anyOf(field: field, terms)
                case let .word(term, _): terms.append(term)
                case let .phrase(text): terms.append(SpotlightTerm(text, phrase: true))
                case .or: continue
                default: throw SpotlightQueryError("Only terms may be listed in '\(field):(...)'.")
                }
            }
            throw SpotlightQueryError("'\(field):(' has no matching ')'.")
        case let .rangeOpen(includesLower):
            guard case let .word(_, lower)? = tokens.popFirst(), tokens.popFirst() == .to,
                  case let .word(_, upper)? = tokens.popFirst(), case let .rangeClose(includesUpper)? = tokens.popFirst() else {
                throw SpotlightQueryError("'\(field):' has a range that is not '[a TO b]' or '{a TO b}'.")
            }
            return .range(field: field, lower: lower == "*" ? nil : lower, upper: upper == "*" ? nil : upper, includesLower: includesLower, includesUpper: includesUpper)
        default:
            throw SpotlightQueryError("'\(field):' is followed by \(describe(token)), not a value.")
        }
    }

    private func describe(_ token: Token?) -> String {
        switch token {
        case nil: return "the end"
        case let .word(_, raw): return "'\(raw)'"
        case let .phrase(text): return "\"\(text)\""
        case let .field(name): return "'\(name):'"
        case .open: return "'('"
        case .close: return "')'"
        case .and: return "'AND'"
        case .or: return "'OR'"
        case .not: return "'NOT'"
        case .rangeOpen: return "a range"
        case .rangeClose: return "the end of a range"
        case .to: return "'TO'"
        }
    }
}
