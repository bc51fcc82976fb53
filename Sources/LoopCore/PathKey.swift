/// A path compared byte for byte.
///
/// Swift's `String` equality follows Unicode canonical equivalence, so "é"
/// written precomposed (NFC) equals "e" plus a combining accent (NFD). On
/// Linux those are two different file names, which can sit side by side;
/// code that keys, de-duplicates or compares paths must use this instead.
public struct PathKey: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let path: String

    public init(_ path: String) {
        self.path = path
        bytes = Array(path.utf8)
    }

    public static func == (lhs: PathKey, rhs: PathKey) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
    public var description: String { path }

    /// Whether this path is `directory` itself or lies below it, comparing bytes.
    public func isWithin(_ directory: PathKey) -> Bool {
        bytes == directory.bytes || (bytes.count > directory.bytes.count
            && bytes[directory.bytes.count] == UInt8(ascii: "/") && bytes.starts(with: directory.bytes))
    }
}
