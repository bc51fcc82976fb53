import LoopCore

/// A request id: a string, a number, or null.
public enum RPCID: Sendable, Hashable {
    case number(Int64)
    case string(String)
    case null

    /// The id as JSON text.
    public var json: String {
        switch self {
        case let .number(value): return String(value)
        case let .string(value): return JSONLiteral.string(value)
        case .null: return "null"
        }
    }
}

extension RPCID: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
