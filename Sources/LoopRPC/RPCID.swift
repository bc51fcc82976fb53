import LoopCore

/// A request id: a string, a number, or null.
public enum RPCID: Sendable, Hashable {
    case number(Int64)
    case string(String)
    case null

    /// The id as JSON text.
    var json: String {
        switch self {
        case let .number(value): return String(value)
        case let .string(value): return JSONLiteral.string(value)
        case .null: return "null"
        }
    }
}
