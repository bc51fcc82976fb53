/// What the values of a query mean, whichever store answers it (the index's SQLite and columns,
/// the shared catalogue's PostgreSQL): one reading, compiled for each.
public enum QueryValues {
    /// The stored type `type:value` means.
    public static func sampleType(_ value: String) throws(QueryError) -> SampleType {
        switch value.lowercased() {
        case "loop", "loops": return .loop
        case "one-shot", "oneshot", "shot", "one-shots", "oneshots": return .oneShot
        default: throw QueryError("'type:\(value)' is not a type; write type:loop or type:one-shot.")
        }
    }

    /// Whether `fav:value` asks for the favourites (true) or for everything else (false).
    public static func favourites(_ value: String) throws(QueryError) -> Bool {
        switch value.lowercased() {
        case "yes", "true", "1", "y": return true
        case "no", "false", "0", "n": return false
        default: throw QueryError("'fav:\(value)' is not yes or no; write fav:yes or fav:no.")
        }
    }

    /// The stored format `format:value` means.
    public static func formatName(_ value: String) -> String {
        ["aif": "aiff", "aifc": "aiff", "wave": "wav", "oga": "ogg"][value.lowercased()] ?? value.lowercased()
    }

    /// The words free text looks for, from a query's text: each a group of alternatives (synonyms), all groups required.
    public static func wordGroups(_ text: String) -> [[String]] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init).map { token in
            let words = QuerySynonyms.expand(token).flatMap { $0.split { !($0.isLetter || $0.isNumber) }.map(String.init) }
            return words.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        }
    }

    /// The Camelot codes `key:value` matches (with its neighbours when compatible keys are on).
    public static func camelotCodes(_ value: String, compatible: Bool) throws(QueryError) -> [String] {
        guard let key = MusicalKey(nameOrCamelot: value) else { throw QueryError("'key:\(value)' is not a key; write e.g. key:Am, key:F# or key:8A.") }
        return (compatible ? key.compatibleKeys : [key]).map(\.camelot)
    }
}
