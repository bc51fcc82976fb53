/// Why a file could not be analysed. The description is the sentence stored
/// in the record's `error` field.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(reason: String)
    case invalidStream(reason: String)
    case decodeFailed(reason: String)
    case truncated(declaredFrames: Int64, decodedFrames: Int64)
    case unreadable(reason: String)
    /// Analysed, but only after stray samples were repaired (see `SampleGuard`).
    case repairedSamples(nonFinite: Int, clamped: Int)

    public var description: String {
        func clause(_ text: String) -> String {
            var text = text
            while text.last == "." || text.last == " " { text.removeLast() }
            return text
        }
        switch self {
        case let .cannotOpen(reason): return "The file could not be opened as audio: \(clause(reason))."
        case let .invalidStream(reason): return "The file's header is not plausible: \(clause(reason))."
        case let .decodeFailed(reason): return "Decoding failed part way: \(clause(reason))."
        case let .truncated(declared, decoded): return "The file is truncated: its header promises \(declared) frames but only \(decoded) could be decoded."
        case let .unreadable(reason): return "The file could not be read: \(clause(reason))."
        case let .repairedSamples(nonFinite, clamped):
            var parts: [String] = []
            if nonFinite > 0 { parts.append("\(nonFinite) sample\(nonFinite == 1 ? " was" : "s were") not a number or infinite and read as silence") }
            if clamped > 0 { parts.append("\(clamped) sample\(clamped == 1 ? " was" : "s were") more than 60 dB above full scale and held at that level") }
            return "The audio was analysed after a repair: " + parts.joined(separator: "; ") + "."
        }
    }
}
