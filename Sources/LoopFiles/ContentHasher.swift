#if canImport(Glibc)
import Glibc
#endif
import Crypto
import LoopCore

/// SHA-256 of a file's bytes: the identity used to find duplicates, follow
/// files moved while the daemon was down, and verify copies.
public enum ContentHasher {
    public static let chunkSize = 1 << 18

    public static func sha256(path: String) throws(FileAccessError) -> String {
        let source = try OpenFile(reading: path)
        var hasher = SHA256()
        try source.readChunks { chunk in hasher.update(bufferPointer: chunk) }
        return hex(hasher.finalize())
    }

    public static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Why a file could not be read or written, as one sentence naming it.
public struct FileAccessError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public init(path: String, errno code: Int32) {
        self.init(path: path, reason: String(cString: strerror(code)))
    }

    public var description: String { "\(path): \(reason)." }
}

/// A file descriptor opened for reading, closed when dropped.
final class OpenFile {
    let descriptor: Int32
    let path: String

    init(reading path: String) throws(FileAccessError) {
        self.path = path
        descriptor = FileName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw FileAccessError(path: path, errno: errno) }
    }

    deinit { close(descriptor) }

    /// The file's size when asked (0 if it cannot be told).
    var size: UInt64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return 0 }
        return UInt64(info.st_size)
    }

    /// Calls `body` with each chunk read, to the end of the file.
    func readChunks(_ body: (UnsafeRawBufferPointer) throws(FileAccessError) -> Void) throws(FileAccessError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ContentHasher.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count == 0 { return }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, errno: errno)
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
