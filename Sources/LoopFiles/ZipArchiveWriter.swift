#if canImport(Glibc)
import Glibc
#endif
import Crypto
import LoopCore

/// Writes a ZIP archive of stored (uncompressed) entries: audio barely
/// compresses, and stored entries open anywhere. Each entry's bytes are
/// hashed while copied, so `export --zip` verifies what it packs.
///
/// The archive is built under a temporary name and renamed into place by
/// `finish()`. Past plain ZIP's limits (4 GiB per entry or before an entry,
/// 65,535 entries) the writer adds ZIP64 records, only where a value needs them,
/// so small archives stay plain ZIP for old readers.
///
/// Why not ZIPFoundation: its `addEntry` reads and rewrites the whole central
/// directory for every entry added, so an export of n files costs O(n²) bytes
/// written (measured in the closing note of the ZIP64 change); this writer keeps
/// the directory in memory and writes it once.
public final class ZipArchiveWriter {
    public let path: String
    private let temporary: String
    private let descriptor: Int32
    private var offset: Int64 = 0
    private var entries: [ZipRecords.Entry] = []
    private var names = ZipEntryNames()
    private var finished = false

    public init(path: String, replace: Bool) throws(VerifiedCopyError) {
        if !replace, FileStat.of(path) != nil { throw .destinationExists(path: path) }
        self.path = path
        temporary = VerifiedCopy.parentFolder(of: path) + "/.loopctl-zip-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).part"
        descriptor = FileName.withCString(temporary) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw .unwritable(FileAccessError(path: path, errno: errno)) }
    }

    deinit {
        if !finished {
            close(descriptor)
            _ = FileName.withCString(temporary) { unlink($0) }
        }
    }

    /// Adds a file under `name` (made unique with " (2)", " (3)"... before the extension); returns the name used.
    @discardableResult
    public func add(
        file source: String, as name: String, expectedHash: String?, modified: Int64 = 0, progress: (Int64) -> Void = { _ in }
    ) throws(VerifiedCopyError) -> String {
        let input: OpenFile
        do { input = try OpenFile(reading: source) } catch { throw .unreadable(error) }
        let unique = names.unique(name)
        let nameBytes = Array(unique.utf8)
        let (dosTime, dosDate) = ZipRecords.dosDateTime(secondsSince1970: modified / 1_000_000_000)
        let headerOffset = UInt64(offset)
        // The local header is written before the size is known: a file that is large now gets
        // the ZIP64 extra field, patched with the sizes once copied.
        let zip64 = input.size >= ZipRecords.zip32Limit
        let header = ZipRecords.localHeader(name: nameBytes, dosTime: dosTime, dosDate: dosDate, zip64: zip64, streamed: false)
        try write(header)

        var crc = CRC32()
        var hasher = SHA256()
        var size: UInt64 = 0
        do {
            try input.readChunks { chunk throws(FileAccessError) in
                crc.update(chunk)
                hasher.update(bufferPointer: chunk)
                size += UInt64(chunk.count)
                do throws(VerifiedCopyError) { try write(chunk) } catch { throw FileAccessError(path: path, reason: error.description) }
                progress(Int64(size))
            }
        } catch {
            throw error.path == path ? .unwritable(error) : .unreadable(error)
        }
        guard zip64 || size < ZipRecords.zip32Limit else {
            throw .unreadable(FileAccessError(path: source, reason: "it grew past 4 GiB while being archived"))
        }
        let digest = ContentHasher.hex(hasher.finalize())
        if let expectedHash, digest != expectedHash.lowercased() {
            throw .contentMismatch(path: source, expected: expectedHash, actual: digest)
        }
        var patch = [UInt8]()
        patch.append32(crc.value)
        if !zip64 {
            patch.append32(UInt32(size))
            patch.append32(UInt32(size))
        }
        try write(patch, at: headerOffset + 14)
        if zip64 {
            var sizes = [UInt8]()
            sizes.append64(size)
            sizes.append64(size)
            try write(sizes, at: headerOffset + 30 + UInt64(nameBytes.count) + 4)
        }
        entries.append(ZipRecords.Entry(name: nameBytes, crc: crc.value, size: size, offset: headerOffset, dosTime: dosTime, dosDate: dosDate))
        return unique
    }

    /// Writes the central directory, flushes, and renames the archive into place.
    public func finish(replace: Bool) throws(VerifiedCopyError) {
        let directory = ZipRecords.centralDirectory(entries, at: UInt64(offset))
        try write(directory)
        guard fsync(descriptor) == 0 else { throw .unwritable(FileAccessError(path: path, errno: errno)) }
        close(descriptor)
        finished = true
        let moved = FileName.withCString(temporary) { from in
            FileName.withCString(path) { to in replace ? rename(from, to) : (link(from, to) == 0 ? unlink(from) : -1) }
        }
        guard moved == 0 else {
            let code = errno
            _ = FileName.withCString(temporary) { unlink($0) }
            if code == EEXIST { throw .destinationExists(path: path) }
            throw .unwritable(FileAccessError(path: path, errno: code))
        }
        VerifiedCopy.syncFolder(VerifiedCopy.parentFolder(of: path))
    }

    /// Overwrites bytes already written (a local header's CRC and sizes).
    private func write(_ bytes: [UInt8], at position: UInt64) throws(VerifiedCopyError) {
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(position)) }
        guard written == bytes.count else { throw .unwritable(FileAccessError(path: path, errno: errno)) }
    }

    private func write(_ bytes: [UInt8]) throws(VerifiedCopyError) {
        let failure: VerifiedCopyError? = bytes.withUnsafeBytes { buffer in
            do throws(VerifiedCopyError) {
                try write(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    private func write(_ buffer: UnsafeRawBufferPointer) throws(VerifiedCopyError) {
        var done = 0
        while done < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress?.advanced(by: done), buffer.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                throw .unwritable(FileAccessError(path: path, errno: errno))
            }
            done += written
        }
        offset += Int64(buffer.count)
    }
}
