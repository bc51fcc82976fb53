#if canImport(Glibc)
import Glibc
#endif
import Crypto
import LoopCore

/// Copies a file so that the destination appears complete or not at all,
/// and checks the bytes against the hash the index holds.
///
/// The copy is written under a hidden temporary name beside the destination
/// (the watcher skips hidden names), flushed with fsync, compared with the
/// expected hash, and only then renamed into place, without replacing an
/// existing file unless asked to. The folder is fsynced too, so the name
/// survives a power cut.
public enum VerifiedCopy {
    public struct Outcome: Sendable, Equatable {
        public var bytes: Int64
        public var sha256: String
    }

    /// - Parameters:
    ///   - expectedHash: the SHA-256 the bytes must have; nil copies without the check.
    ///   - replace: overwrite an existing destination.
    ///   - progress: called with the bytes copied so far.
    public static func copy(
        from source: String, to destination: String, expectedHash: String?, replace: Bool = false,
        progress: (Int64) -> Void = { _ in }
    ) throws(VerifiedCopyError) -> Outcome {
        let input: OpenFile
        do { input = try OpenFile(reading: source) } catch { throw .unreadable(error) }
        let writer = try VerifiedWriter(destination: destination, replace: replace)
        do throws(FileAccessError) {
            try input.readChunks { chunk throws(FileAccessError) in
                do throws(VerifiedCopyError) { try writer.write(chunk) } catch { throw error.accessError ?? FileAccessError(path: destination, errno: EIO) }
                progress(writer.bytes)
            }
        } catch {
            throw error.path == destination ? .unwritable(error) : .unreadable(error)
        }
        do {
            return try writer.finish(expectedHash: expectedHash)
        } catch let .contentMismatch(_, expected, actual) {
            throw .contentMismatch(path: source, expected: expected, actual: actual)
        }
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func syncFolder(_ folder: String) {
        let descriptor = FileName.withCString(folder) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// Why a verified copy failed, as one sentence naming the file.
public enum VerifiedCopyError: Error, Equatable, CustomStringConvertible, Sendable {
    case destinationExists(path: String)
    case unreadable(FileAccessError)
    case unwritable(FileAccessError)
    /// The bytes read are not the ones indexed: bit rot, or a change the index has not seen.
    case contentMismatch(path: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .destinationExists(path): return "\(path) already exists; pass --force to replace it."
        case let .unreadable(error): return "Cannot read \(error.description)"
        case let .unwritable(error): return "Cannot write \(error.description)"
        case let .contentMismatch(path, expected, actual):
            return "\(path) does not match its indexed content (SHA-256 \(actual.prefix(12))…, expected \(expected.prefix(12))…): the file changed or is damaged."
        }
    }
}

/// A file written under a hidden temporary name beside its destination (the watcher skips hidden
/// names), hashed while it is written, and put in place only once complete, flushed and checked;
/// left unfinished, the temporary file is removed. One writer serves one task at a time.
public final class VerifiedWriter {
    public let destination: String
    /// Bytes written so far.
    public private(set) var bytes: Int64 = 0
    private let temporary: String
    private let folder: String
    private let replace: Bool
    private var descriptor: Int32
    private var hasher = SHA256()
    private var finished = false

    public init(destination: String, replace: Bool = false) throws(VerifiedCopyError) {
        if !replace, FileStat.of(destination) != nil { throw .destinationExists(path: destination) }
        self.destination = destination
        self.replace = replace
        folder = VerifiedCopy.parentFolder(of: destination)
        let name = String(destination[destination.index(after: destination.lastIndex(of: "/") ?? destination.startIndex)...])
        temporary = folder + "/." + name + ".loopctl-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).part"
        descriptor = FileName.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw .unwritable(FileAccessError(path: destination, errno: errno)) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !finished { _ = FileName.withCString(temporary) { unlink($0) } }
    }

    public func write(_ chunk: UnsafeRawBufferPointer) throws(VerifiedCopyError) {
        hasher.update(bufferPointer: chunk)
        guard FileWriting.writeAll(descriptor, chunk) else { throw .unwritable(FileAccessError(path: destination, errno: errno)) }
        bytes += Int64(chunk.count)
    }

    /// Flushes, checks the hash when one is expected, and puts the file in place (never over an
    /// existing file unless `replace`); returns what was written.
    public func finish(expectedHash: String?) throws(VerifiedCopyError) -> VerifiedCopy.Outcome {
        let synced = fsync(descriptor) == 0
        let syncError = errno
        close(descriptor)
        descriptor = -1
        guard synced else { throw .unwritable(FileAccessError(path: destination, errno: syncError)) }
        let digest = ContentHasher.hex(hasher.finalize())
        if let expectedHash, digest != expectedHash.lowercased() {
            throw .contentMismatch(path: destination, expected: expectedHash, actual: digest)
        }
        let renamed = FileName.withCString(temporary) { from in
            FileName.withCString(destination) { to in
                replace ? rename(from, to) : (link(from, to) == 0 ? unlink(from) : -1)
            }
        }
        guard renamed == 0 else {
            if errno == EEXIST { throw .destinationExists(path: destination) }
            throw .unwritable(FileAccessError(path: destination, errno: errno))
        }
        finished = true
        VerifiedCopy.syncFolder(folder)
        return VerifiedCopy.Outcome(bytes: bytes, sha256: digest)
    }
}

extension VerifiedCopyError {
    /// The file error inside, when there is one.
    var accessError: FileAccessError? {
        switch self {
        case let .unreadable(error), let .unwritable(error): return error
        default: return nil
        }
    }
}

/// Whole writes to a descriptor (a short write is continued, an interrupted one retried).
public enum FileWriting {
    /// False on an error, with `errno` set.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
