import Foundation

/// A numeric filter such as `120..128`, `<2`, `>=-14` or `124`.
public struct NumericRange: Codable, Sendable, Equatable, CustomStringConvertible {
    public var lower: Double?
    public var upper: Double?
    public var lowerInclusive: Bool
    public var upperInclusive: Bool

    public init(lower: Double? = nil, upper: Double? = nil, lowerInclusive: Bool = true, upperInclusive: Bool = true) {
        self.lower = lower
        self.upper = upper
        self.lowerInclusive = lowerInclusive
        self.upperInclusive = upperInclusive
    }

    /// Parses `A..B`, `A..`, `..B`, `<B`, `<=B`, `>A`, `>=A` or a single number.
    /// Returns nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        if let range = trimmed.range(of: "..") {
            let lowerText = String(trimmed[..<range.lowerBound])
            let upperText = String(trimmed[range.upperBound...])
            let lower = lowerText.isEmpty ? nil : Self.finite(lowerText)
            let upper = upperText.isEmpty ? nil : Self.finite(upperText)
            if (!lowerText.isEmpty && lower == nil) || (!upperText.isEmpty && upper == nil) || (lower == nil && upper == nil) {
                return nil
            }
            if let lower, let upper, lower > upper { return nil }
            self.init(lower: lower, upper: upper)
            return
        }
        for (prefix, isLower, inclusive) in [("<=", false, true), (">=", true, true), ("<", false, false), (">", true, false)] {
            if trimmed.hasPrefix(prefix) {
                guard let value = Self.finite(trimmed.dropFirst(prefix.count)) else { return nil }
                if isLower { self.init(lower: value, lowerInclusive: inclusive) } else { self.init(upper: value, upperInclusive: inclusive) }
                return
            }
        }
        guard let value = Self.finite(trimmed) else { return nil }
        self.init(lower: value, upper: value)
    }

    /// A number as written; `nan` and `inf`, which `Double` also reads, are not numbers a filter can hold.
    private static func finite(_ text: some StringProtocol) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    public func contains(_ value: Double) -> Bool {
        if let lower, lowerInclusive ? value < lower : value <= lower { return false }
        if let upper, upperInclusive ? value > upper : value >= upper { return false }
        return true
    }

    public var description: String {
        switch (lower, upper) {
        case let (l?, u?) where l == u: return Self.format(l)
        case let (l?, u?): return "\(Self.format(l))..\(Self.format(u))"
        case let (l?, nil): return (lowerInclusive ? ">=" : ">") + Self.format(l)
        case let (nil, u?): return (upperInclusive ? "<=" : "<") + Self.format(u)
        default: return ".."
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    // On the wire a range is the same string a user types: "120..128", "<2".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self.init(lower: number, upper: number)
            return
        }
        let text = try container.decode(String.self)
        guard let range = NumericRange(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a range such as 120..128, <2 or >=1")
        }
        self = range
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
