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
    private struct CentralEntry {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt64
        var offset: UInt64
        var dosTime: UInt16
        var dosDate: UInt16
    }

    /// A 32-bit field at or above this value is stored in a ZIP64 extra field instead.
    static let zip32Limit: UInt64 = 0xFFFF_FFFF
    /// The 16-bit entry count's limit, past which the ZIP64 end records are written.
    static let entryCountLimit = 0xFFFF

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
        let input: OpenFile
        do { input = try OpenFile(reading: source) } catch { throw .unreadable(error) }
        let unique = uniqueName(name)
        let nameBytes = Array(unique.utf8)
        let (dosTime, dosDate) = Self.dosDateTime(secondsSince1970: modified / 1_000_000_000)
        let headerOffset = UInt64(offset)
        // The local header is written before the size is known: a file that is large now gets
        // the ZIP64 extra field, patched with the sizes once copied.
        let zip64 = input.size >= Self.zip32Limit
        var header = [UInt8]()
        header.append32(0x0403_4b50)
        header.append16(zip64 ? 45 : 20)  // version needed
        header.append16(1 << 11)          // names are UTF-8
        header.append16(0)                // stored
        header.append16(dosTime)
        header.append16(dosDate)
        header.append32(0)                // crc, patched below
        header.append32(zip64 ? UInt32.max : 0)  // sizes, patched below (in the extra field for ZIP64)
        header.append32(zip64 ? UInt32.max : 0)
        header.append16(UInt16(nameBytes.count))
        header.append16(zip64 ? 20 : 0)
        header += nameBytes
        if zip64 {
            header.append16(0x0001)
            header.append16(16)
            header.append64(0)
            header.append64(0)
        }
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
        guard zip64 || size < Self.zip32Limit else {
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
        entries.append(CentralEntry(name: nameBytes, crc: crc.value, size: size, offset: headerOffset, dosTime: dosTime, dosDate: dosDate))
        return unique
    }

    /// Writes the central directory, flushes, and renames the archive into place.
    public func finish(replace: Bool) throws(VerifiedCopyError) {
        let directoryOffset = UInt64(offset)
        var directory = [UInt8]()
        for entry in entries {
            // Each value too large for its 32-bit field moves to the ZIP64 extra field, in this order.
            var extra = [UInt8]()
            if entry.size >= Self.zip32Limit {
                extra.append64(entry.size)
                extra.append64(entry.size)
            }
            if entry.offset >= Self.zip32Limit { extra.append64(entry.offset) }
            let zip64 = !extra.isEmpty
            directory.append32(0x0201_4b50)
            directory.append16(zip64 ? 0x032D : 0x0314)  // made by: Unix, ZIP 4.5 or 2.0
            directory.append16(zip64 ? 45 : 20)
            directory.append16(1 << 11)
            directory.append16(0)
            directory.append16(entry.dosTime)
            directory.append16(entry.dosDate)
            directory.append32(entry.crc)
            directory.append32(Self.field32(entry.size))
            directory.append32(Self.field32(entry.size))
            directory.append16(UInt16(entry.name.count))
            directory.append16(zip64 ? UInt16(4 + extra.count) : 0)
            directory.append16(0)
            directory.append16(0)
            directory.append16(0)
            directory.append32(UInt32(0o100644) << 16)
            directory.append32(Self.field32(entry.offset))
            directory += entry.name
            if zip64 {
                directory.append16(0x0001)
                directory.append16(UInt16(extra.count))
                directory += extra
            }
        }
        let directorySize = UInt64(directory.count)
        let endOffset = directoryOffset + directorySize
        let count = UInt64(entries.count)
        if count >= UInt64(Self.entryCountLimit) || directoryOffset >= Self.zip32Limit || directorySize >= Self.zip32Limit {
            // ZIP64 end of central directory record, then its locator.
            directory.append32(0x0606_4b50)
            directory.append64(44)        // size of the rest of this record
            directory.append16(0x032D)
            directory.append16(45)
            directory.append32(0)         // this disk
            directory.append32(0)         // the directory's disk
            directory.append64(count)
            directory.append64(count)
            directory.append64(directorySize)
            directory.append64(directoryOffset)
            directory.append32(0x0706_4b50)
            directory.append32(0)
            directory.append64(endOffset)
            directory.append32(1)         // disks in all
        }
        directory.append32(0x0605_4b50)
        directory.append16(0)
        directory.append16(0)
        let countField = UInt16(min(count, UInt64(Self.entryCountLimit)))
        directory.append16(countField)  // entries on this disk
        directory.append16(countField)  // entries in all
        directory.append32(Self.field32(directorySize))
        directory.append32(Self.field32(directoryOffset))
        directory.append16(0)
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

    /// A value for a 32-bit field: itself, or all ones when it lives in the ZIP64 extra field.
    private static func field32(_ value: UInt64) -> UInt32 {
        value >= zip32Limit ? UInt32.max : UInt32(value)
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

    mutating func append64(_ value: UInt64) {
        append32(UInt32(truncatingIfNeeded: value))
        append32(UInt32(truncatingIfNeeded: value >> 32))
    }
}

extension UInt32 {
    var littleEndianBytes: [UInt8] { [UInt8(self & 0xFF), UInt8(self >> 8 & 0xFF), UInt8(self >> 16 & 0xFF), UInt8(self >> 24)] }
}
