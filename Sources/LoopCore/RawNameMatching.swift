#if canImport(Glibc)
import Glibc
#endif

/// Byte-level name tests for the scan's hot loop, which sees every name in
/// the library: ASCII names (nearly all of them) are lower-cased into a stack
/// buffer and compared as bytes, with no `String` made. Other names go
/// through the `String` path, which knows Unicode case mapping.
enum RawNameMatching {
    /// Calls `body` with the name lower-cased and NUL-terminated, or returns
    /// nil when the name is not all ASCII.
    static func withLowercasedASCII<T>(_ name: UnsafeRawBufferPointer, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T? {
        for byte in name where byte >= 0x80 { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: name.count + 1) { buffer in
            for (index, byte) in name.enumerated() {
                buffer[index] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            }
            buffer[name.count] = 0
            return body(UnsafeBufferPointer(rebasing: buffer[..<name.count]))
        }
    }

    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ other: [UInt8]) -> Bool {
        guard bytes.count == other.count else { return false }
        return other.withUnsafeBufferPointer { other in
            guard let left = bytes.baseAddress, let right = other.baseAddress else { return bytes.isEmpty }
            return memcmp(left, right, bytes.count) == 0
        }
    }

    static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        bytes.count >= suffix.count && equal(UnsafeBufferPointer(rebasing: bytes[(bytes.count - suffix.count)...]), suffix)
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && equal(UnsafeBufferPointer(rebasing: bytes[..<prefix.count]), prefix)
    }
}
