import Foundation
/// What a `Range` header asks of a file of `size` bytes (RFC 9110 §14): one byte range, honoured
/// exactly, suffix ranges included. Several ranges, another unit or a header that does not parse
/// are answered with the whole file, as the RFC allows.
public enum ByteRange: Equatable, Sendable {
    case whole
    case part(ClosedRange<Int64>)
    /// No byte of the range is in the file: 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    public static func resolve(_ header: String?, size: Int64) -> ByteRange {
        guard let header else { return .whole }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else { return .whole }
        let specs = trimmed.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count == 1, let spec = specs.first?.trimmingCharacters(in: .whitespaces), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        guard first.allSatisfy(\.isASCIIDigit), last.allSatisfy(\.isASCIIDigit), !(first.isEmpty && last.isEmpty) else { return .whole }
        if first.isEmpty {
            // "-N": the last N bytes.
            let count = number(last)
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .part(max(0, size - count)...(size - 1))
        }
        let start = number(first)
        if last.isEmpty {
            return start < size ? .part(start...(size - 1)) : .unsatisfiable
        }
        let end = number(last)
        guard start <= end else { return .whole }
        return start < size ? .part(start...min(end, size - 1)) : .unsatisfiable
    }

    /// Digits as a number; more than fits is as good as infinite.
    private static func number(_ digits: some StringProtocol) -> Int64 {
        Int64(digits) ?? .max
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
