#if canImport(Glibc)
import Glibc
#endif

/// A Unix-domain socket address (`sockaddr_un`) for a file-system path.
public struct UnixSocketAddress: Sendable {
    private var storage = sockaddr_un()

    /// The longest path that fits, in bytes.
    public static var capacity: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// Nil when `path` does not fit the address.
    public init?(path: String) {
        let bytes = Array(path.utf8)
        guard bytes.count <= Self.capacity else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length that bind, connect and sendto take.
    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        var address = storage
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}
