/// A value as one SQLite column holds it. The index maps it to and from the database;
/// `LoopCore` stays free of the database library so that clients do not link it.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A value a record field holds: it is coded on the wire and written by the fast JSON writer.
public protocol RecordValue: Codable, Sendable, Equatable, JSONWritable {}

/// A record value that the index keeps in one column of the `file` table.
public protocol StorableValue: RecordValue {
    var storedValue: StoredValue { get }
    /// Nil when the column holds something this type cannot be made from.
    init?(storedValue: StoredValue)
}

extension Int64: StorableValue {
    public func writeJSON(to output: inout String) { output += String(self) }
    public var storedValue: StoredValue { .integer(self) }
    public init?(storedValue: StoredValue) {
        switch storedValue {
        case let .integer(value): self = value
        case let .real(value): self.init(exactly: value)
        default: return nil
        }
    }
}

extension Int: StorableValue {
    public func writeJSON(to output: inout String) { output += String(self) }
    public var storedValue: StoredValue { .integer(Int64(self)) }
    public init?(storedValue: StoredValue) {
        guard let value = Int64(storedValue: storedValue) else { return nil }
        self.init(exactly: value)
    }
}

extension Double: StorableValue {
    public func writeJSON(to output: inout String) { output += JSONLiteral.number(self) }
    public var storedValue: StoredValue { isFinite ? .real(self) : .null }
    public init?(storedValue: StoredValue) {
        switch storedValue {
        case let .real(value): self = value
        case let .integer(value): self = Double(value)
        default: return nil
        }
    }
}

extension String: StorableValue {
    public func writeJSON(to output: inout String) { output += JSONLiteral.string(self) }
    public var storedValue: StoredValue { .text(self) }
    public init?(storedValue: StoredValue) {
        guard case let .text(value) = storedValue else { return nil }
        self = value
    }
}

extension Bool: StorableValue {
    public func writeJSON(to output: inout String) { output += self ? "true" : "false" }
    public var storedValue: StoredValue { .integer(self ? 1 : 0) }
    public init?(storedValue: StoredValue) {
        guard let value = Int64(storedValue: storedValue) else { return nil }
        self = value != 0
    }
}

extension Optional: JSONWritable where Wrapped: JSONWritable {
    public func writeJSON(to output: inout String) {
        if let self { self.writeJSON(to: &output) } else { output += "null" }
    }
}

extension Optional: RecordValue where Wrapped: RecordValue {}

extension Optional: StorableValue where Wrapped: StorableValue {
    public var storedValue: StoredValue { self?.storedValue ?? .null }
    public init?(storedValue: StoredValue) {
        if storedValue == .null {
            self = .none
        } else if let value = Wrapped(storedValue: storedValue) {
            self = .some(value)
        } else {
            return nil
        }
    }
}

/// A list is one comma-separated text column (its elements hold no commas: instrument
/// words and frame positions); an empty list is stored as NULL.
extension Array: RecordValue where Element: RecordValue {}

extension Array: StorableValue where Element: StorableValue & LosslessStringConvertible {
    public var storedValue: StoredValue { isEmpty ? .null : .text(map(\.description).joined(separator: ",")) }
    public init?(storedValue: StoredValue) {
        switch storedValue {
        case .null: self = []
        case let .text(text): self = text.split(separator: ",").compactMap { Element(String($0)) }
        default: return nil
        }
    }
}

/// Domain values travel and are stored as their raw text.
extension JSONWritable where Self: RawRepresentable, RawValue == String {
    public func writeJSON(to output: inout String) { output += JSONLiteral.string(rawValue) }
}

extension StorableValue where Self: RawRepresentable, RawValue == String {
    public var storedValue: StoredValue { .text(rawValue) }
    public init?(storedValue: StoredValue) {
        guard case let .text(text) = storedValue else { return nil }
        self.init(rawValue: text)
    }
}
