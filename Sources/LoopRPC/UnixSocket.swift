#if canImport(Glibc)
import Glibc
#endif
import LoopCore

/// Blocking Unix stream socket calls shared by the client and the server's liveness check.
package enum UnixSocket {
    package struct Failure: Error {
        var errno: Int32
        var reason: String
    }

    /// Connects to `path` and returns the descriptor.
    package static func connect(path: String) throws(Failure) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(errno: errno, reason: String(cString: strerror(errno))) }
        guard let address = UnixSocketAddress(path: path) else {
            close(fd)
            throw Failure(errno: ENAMETOOLONG, reason: "the socket path is longer than \(UnixSocketAddress.capacity) bytes")
        }
        let result = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure(errno: code, reason: String(cString: strerror(code)))
        }
        return fd
    }
}
