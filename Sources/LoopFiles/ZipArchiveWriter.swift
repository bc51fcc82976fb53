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
/// `finish()`. Plain ZIP limits apply (4 GiB per entry and archive, 65,535
/// entries); beyond them the writer refuses rather than writing ZIP64.
public final class ZipArchiveWriter {
    private struct CentralEntry {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt32
        var offset: UInt32
        var dosTime: UInt16
        var dosDate: UInt16
    }

    public let path: String
    private let temporary: String
    private let descriptor: Int32
    private var offset: Int64 = 0
    private var entries: [CentralEntry] = []
    private var names = Set<String>()
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
        guard entries.count < 65_535 else { throw .unwritable(FileAccessError(path: path, reason: "a ZIP archive holds at most 65,535 files")) }
        let unique = uniqueName(name)
        let nameBytes = Array(unique.utf8)
        let (dosTime, dosDate) = Self.dosDateTime(secondsSince1970: modified / 1_000_000_000)
        let headerOffset = offset
        guard headerOffset < Int64(UInt32.max) else { throw .unwritable(FileAccessError(path: path, reason: "the archive would pass 4 GiB")) }
        var header = [UInt8]()
        header.append32(0x0403_4b50)
        header.append16(20)          // version needed
        header.append16(1 << 11)     // names are UTF-8
        header.append16(0)           // stored
        header.append16(dosTime)
        header.append16(dosDate)
        header.append32(0)           // crc, patched below
        header.append32(0)           // sizes, patched below
        header.append32(0)
        header.append16(UInt16(nameBytes.count))
        header.append16(0)
        header += nameBytes
        try write(header)

        let input: OpenFile
        do { input = try OpenFile(reading: source) } catch { throw .unreadable(error) }
        var crc = CRC32()
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            try input.readChunks { chunk throws(FileAccessError) in
                crc.update(chunk)
                hasher.update(bufferPointer: chunk)
                size += Int64(chunk.count)
                do throws(VerifiedCopyError) { try write(chunk) } catch { throw FileAccessError(path: path, reason: error.description) }
                progress(size)
            }
        } catch {
            throw error.path == path ? .unwritable(error) : .unreadable(error)
        }
        guard size < Int64(UInt32.max) else { throw .unwritable(FileAccessError(path: path, reason: "\(source) is over 4 GiB, too large for a ZIP entry")) }
        let digest = ContentHasher.hex(hasher.finalize())
        if let expectedHash, digest != expectedHash.lowercased() {
            throw .contentMismatch(path: source, expected: expectedHash, actual: digest)
        }
        var patch = [UInt8]()
        patch.append32(crc.value)
        patch.append32(UInt32(size))
        patch.append32(UInt32(size))
        let patched = patch.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(headerOffset + 14)) }
        guard patched == patch.count else { throw .unwritable(FileAccessError(path: path, errno: errno)) }
        entries.append(CentralEntry(name: nameBytes, crc: crc.value, size: UInt32(size), offset: UInt32(headerOffset), dosTime: dosTime, dosDate: dosDate))
        return unique
    }

    /// Writes the central directory, flushes, and renames the archive into place.
    public func finish(replace: Bool) throws(VerifiedCopyError) {
        let directoryOffset = offset
        var directory = [UInt8]()
        for entry in entries {
            directory.append32(0x0201_4b50)
            directory.append16(0x0314)   // made by: Unix, 2.0
            directory.append16(20)
            directory.append16(1 << 11)
            directory.append16(0)
            directory.append16(entry.dosTime)
            directory.append16(entry.dosDate)
            directory.append32(entry.crc)
            directory.append32(entry.size)
            directory.append32(entry.size)
            directory.append16(UInt16(entry.name.count))
            directory.append16(0)
            directory.append16(0)
            directory.append16(0)
            directory.append16(0)
            directory.append32(UInt32(0o100644) << 16)
            directory.append32(entry.offset)
            directory += entry.name
        }
        guard directoryOffset + Int64(directory.count) < Int64(UInt32.max) else {
            throw .unwritable(FileAccessError(path: path, reason: "the archive would pass 4 GiB"))
        }
        directory.append32(0x0605_4b50)
        directory.append16(0)
        directory.append16(0)
        directory.append16(UInt16(entries.count))
        directory.append16(UInt16(entries.count))
        directory.append32(UInt32(directory.count - 0))
        directory.append32(UInt32(directoryOffset))
        directory.append16(0)
        // The directory size excludes the end record itself (22 bytes).
        let directorySize = UInt32(directory.count - 22)
        directory.replaceSubrange((directory.count - 10)..<(directory.count - 6), with: directorySize.littleEndianBytes)
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

    private func uniqueName(_ name: String) -> String {
        var candidate = name
        var number = 2
        while names.contains(candidate.lowercased()) {
            let dot = name.lastIndex(of: ".")
            candidate = dot.map { String(name[..<$0]) + " (\(number))" + String(name[$0...]) } ?? name + " (\(number))"
            number += 1
        }
        names.insert(candidate.lowercased())
        return candidate
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

    static func dosDateTime(secondsSince1970 seconds: Int64) -> (time: UInt16, date: UInt16) {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil, parts.tm_year >= 80 else { return (0, 0x21) }  // 1980-01-01
        let dosTime = UInt16(parts.tm_hour) << 11 | UInt16(parts.tm_min) << 5 | UInt16(parts.tm_sec / 2)
        let dosDate = UInt16(parts.tm_year - 80) << 9 | UInt16(parts.tm_mon + 1) << 5 | UInt16(parts.tm_mday)
        return (dosTime, dosDate)
    }
}

/// CRC-32 (IEEE 802.3, as ZIP uses), table-driven.
struct CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private var state: UInt32 = 0xFFFF_FFFF

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = state
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        state = crc
    }

    var value: UInt32 { state ^ 0xFFFF_FFFF }
}

extension [UInt8] {
    mutating func append16(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func append32(_ value: UInt32) {
        append(contentsOf: value.littleEndianBytes)
    }
}

extension UInt32 {
    var littleEndianBytes: [UInt8] { [UInt8(self & 0xFF), UInt8(self >> 8 & 0xFF), UInt8(self >> 16 & 0xFF), UInt8(self >> 24)] }
}
