import Foundation

/// A request id: a string, a number, or null.
public enum RPCID: Sendable, Hashable {
    case number(Int64)
    case string(String)
    case null

    /// The id as JSON text.
    var json: String {
        switch self {
        case let .number(value): return String(value)
        case let .string(value): return JSONText.quoted(value)
        case .null: return "null"
        }
    }
}

enum JSONText {
    /// A JSON string literal for `value`.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
