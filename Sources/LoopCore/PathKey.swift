/// A path compared byte for byte.
///
/// Swift's `String` equality follows Unicode canonical equivalence, so "é"
/// written precomposed (NFC) equals "e" plus a combining accent (NFD). On
/// Linux those are two different file names, which can sit side by side;
/// code that keys, de-duplicates or compares paths must use this instead.
public struct PathKey: Hashable, Sendable, CustomStringConvertible {
    public let path: String

    public init(_ path: String) {
        var path = path
        // Contiguous UTF-8 lets equality and hashing read the bytes in place (scans key every file).
        path.makeContiguousUTF8()
        self.path = path
    }

    public static func == (lhs: PathKey, rhs: PathKey) -> Bool { lhs.path.utf8.elementsEqual(rhs.path.utf8) }

    public func hash(into hasher: inout Hasher) {
        if path.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
            for byte in path.utf8 { hasher.combine(byte) }
        }
    }

    public var description: String { path }

    /// Whether this path is `directory` itself or lies below it, comparing bytes.
    public func isWithin(_ directory: PathKey) -> Bool {
        directory.contains(pathBytes: path.utf8)
    }

    /// Whether the path with these UTF-8 bytes is this one or lies below it.
    public func contains<Bytes: Collection<UInt8>>(pathBytes other: Bytes) -> Bool {
        let own = path.utf8
        guard other.starts(with: own) else { return false }
        if other.count == own.count || own.last == UInt8(ascii: "/") { return true }
        return other.dropFirst(own.count).first == UInt8(ascii: "/")
    }
}
