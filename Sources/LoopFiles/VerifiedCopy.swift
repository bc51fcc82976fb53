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
        if !replace, FileStat.of(destination) != nil { throw .destinationExists(path: destination) }
        let folder = parentFolder(of: destination)
        let name = String(destination[destination.index(after: destination.lastIndex(of: "/") ?? destination.startIndex)...])
        let temporary = folder + "/." + name + ".loopctl-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).part"
        let input: OpenFile
        do { input = try OpenFile(reading: source) } catch { throw .unreadable(error) }
        let output = FileName.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard output >= 0 else { throw .unwritable(FileAccessError(path: destination, errno: errno)) }
        var finished = false
        defer {
            if !finished { _ = FileName.withCString(temporary) { unlink($0) } }
        }
        var hasher = SHA256()
        var total: Int64 = 0
        do {
            try input.readChunks { chunk throws(FileAccessError) in
                hasher.update(bufferPointer: chunk)
                var offset = 0
                while offset < chunk.count {
                    let written = write(output, chunk.baseAddress?.advanced(by: offset), chunk.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw FileAccessError(path: destination, errno: errno)
                    }
                    offset += written
                }
                total += Int64(chunk.count)
                progress(total)
            }
        } catch {
            close(output)
            throw error.path == destination ? .unwritable(error) : .unreadable(error)
        }
        let synced = fsync(output) == 0
        let syncError = errno
        close(output)
        guard synced else { throw .unwritable(FileAccessError(path: destination, errno: syncError)) }
        let digest = ContentHasher.hex(hasher.finalize())
        if let expectedHash, digest != expectedHash.lowercased() {
            throw .contentMismatch(path: source, expected: expectedHash, actual: digest)
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
        syncFolder(folder)
        return Outcome(bytes: total, sha256: digest)
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
