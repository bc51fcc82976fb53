import Foundation

/// A value that writes its own JSON text. Used for replies that can hold
/// thousands of records, where Foundation's `JSONEncoder` dominates the
/// cost of a search; the output must equal what `Encodable` produces.
public protocol JSONWritable {
    func writeJSON(to output: inout String)
}

extension Array: JSONWritable where Element: JSONWritable {
    public func writeJSON(to output: inout String) {
        output += "["
        for (index, element) in enumerated() {
            if index > 0 { output += "," }
            element.writeJSON(to: &output)
        }
        output += "]"
    }
}

/// JSON literals for the primitive values records hold.
public enum JSONLiteral {
    /// A JSON string literal, escaped per RFC 8259.
    public static func string(_ value: String) -> String {
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

    public static func string(_ value: String?) -> String {
        value.map { string($0) } ?? "null"
    }

    /// A JSON number; null for nil and for values JSON cannot hold (NaN, infinities).
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return value.description
    }

    public static func number<T: BinaryInteger>(_ value: T?) -> String {
        value.map { String($0) } ?? "null"
    }
}
