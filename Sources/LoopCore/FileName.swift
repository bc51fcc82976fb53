#if canImport(Glibc)
import Glibc
#endif

/// Lossless conversion between file-system path bytes and `String`.
///
/// Linux file names are bytes; they need not be valid UTF-8. Each byte of an
/// invalid sequence becomes one scalar in U+10FE80...U+10FEFF (a private use
/// range), so the name survives Swift strings, SQLite and JSON and converts
/// back to the very same bytes. Valid UTF-8 that encodes a scalar of that
/// range is escaped byte by byte as well, which keeps the mapping one-to-one.
public enum FileName {
    static let escapeBase: UInt32 = 0x10FE00

    /// The string for raw path bytes.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = scalar(in: bytes, at: index), !(0x10FE80...0x10FEFF).contains(scalar.value) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append(escape(bytes[index]))
                index += 1
            }
        }
        return String(scalars)
    }

    /// `decode` for a buffer, specialised: the scan calls it for every name it keeps.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        for byte in bytes where byte >= 0x80 { return decode(Array(bytes)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The raw bytes a string stands for (the inverse of `decode`).
    public static func encode(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count)
        for scalar in name.unicodeScalars {
            if (0x10FE80...0x10FEFF).contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return bytes
    }

    /// Calls `body` with the path as a NUL-terminated C string of its raw bytes.
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        // Fast path: no escapes (their UTF-8 starts with 0xF4), so the UTF-8 is the bytes.
        if !path.utf8.contains(0xF4) || !path.unicodeScalars.contains(where: { (0x10FE80...0x10FEFF).contains($0.value) }) {
            return try path.withCString(body)
        }
        let bytes = encode(path).map { CChar(bitPattern: $0) } + [0]
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return try path.withCString(body) }
            return try body(start)
        }
    }

    /// `realpath(3)` of a path, keeping its bytes; nil when it cannot be resolved.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = withCString(path, { realpath($0, nil) }) else { return nil }
        defer { free(resolved) }
        return decode(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))
    }

    private static func escape(_ byte: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(escapeBase + UInt32(byte)) ?? "\u{FFFD}"
    }

    /// The well-formed UTF-8 scalar starting at `index`, and its length.
    private static func scalar(in bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        let minimum: UInt32 = [0, 0, 0x80, 0x800, 0x10000][length]
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}
