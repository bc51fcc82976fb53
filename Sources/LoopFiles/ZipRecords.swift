#if canImport(Glibc)
import Glibc
#endif

/// The records of a ZIP archive of stored entries, as bytes: what the file writer (which patches
/// each local header once an entry is copied) and the streamed writer (which cannot go back, so
/// follows each entry with a data descriptor) share. ZIP64 records appear only where a value
/// needs them, so small archives stay plain ZIP for old readers.
public enum ZipRecords {
    /// A 32-bit field at or above this value is stored in a ZIP64 extra field instead.
    public static let zip32Limit: UInt64 = 0xFFFF_FFFF
    /// The 16-bit entry count's limit, past which the ZIP64 end records are written.
    static let entryCountLimit = 0xFFFF

    /// What the central directory says of one entry.
    public struct Entry: Sendable {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt64
        var offset: UInt64
        var dosTime: UInt16
        var dosDate: UInt16
    }

    /// A local file header. `zip64` gives it the ZIP64 extra field (sizes patched later, or in
    /// the descriptor); `streamed` sets bit 3: the CRC and sizes follow the data.
    static func localHeader(name: [UInt8], dosTime: UInt16, dosDate: UInt16, zip64: Bool, streamed: Bool) -> [UInt8] {
        var header = [UInt8]()
        header.append32(0x0403_4b50)
        header.append16(zip64 ? 45 : 20)                  // version needed
        header.append16(1 << 11 | (streamed ? 1 << 3 : 0))  // names are UTF-8; sizes after the data
        header.append16(0)                                // stored
        header.append16(dosTime)
        header.append16(dosDate)
        header.append32(0)                                // crc, patched or in the descriptor
        header.append32(zip64 ? UInt32.max : 0)           // sizes, likewise (in the extra field for ZIP64)
        header.append32(zip64 ? UInt32.max : 0)
        header.append16(UInt16(name.count))
        header.append16(zip64 ? 20 : 0)
        header += name
        if zip64 {
            header.append16(0x0001)
            header.append16(16)
            header.append64(0)
            header.append64(0)
        }
        return header
    }

    /// The data descriptor after a streamed entry: its CRC and sizes (8 bytes each for ZIP64).
    static func dataDescriptor(crc: UInt32, size: UInt64, zip64: Bool) -> [UInt8] {
        var descriptor = [UInt8]()
        descriptor.append32(0x0807_4b50)
        descriptor.append32(crc)
        if zip64 {
            descriptor.append64(size)
            descriptor.append64(size)
        } else {
            descriptor.append32(UInt32(size))
            descriptor.append32(UInt32(size))
        }
        return descriptor
    }

    /// The central directory of `entries` starting at `directoryOffset`, and the end records.
    static func centralDirectory(_ entries: [Entry], at directoryOffset: UInt64, streamed: Bool = false) -> [UInt8] {
        var directory = [UInt8]()
        for entry in entries {
            // Each value too large for its 32-bit field moves to the ZIP64 extra field, in this order.
            var extra = [UInt8]()
            if entry.size >= zip32Limit {
                extra.append64(entry.size)
                extra.append64(entry.size)
            }
            if entry.offset >= zip32Limit { extra.append64(entry.offset) }
            let zip64 = !extra.isEmpty
            directory.append32(0x0201_4b50)
            directory.append16(zip64 ? 0x032D : 0x0314)  // made by: Unix, ZIP 4.5 or 2.0
            directory.append16(zip64 ? 45 : 20)
            directory.append16(1 << 11 | (streamed ? 1 << 3 : 0))
            directory.append16(0)
            directory.append16(entry.dosTime)
            directory.append16(entry.dosDate)
            directory.append32(entry.crc)
            directory.append32(field32(entry.size))
            directory.append32(field32(entry.size))
            directory.append16(UInt16(entry.name.count))
            directory.append16(zip64 ? UInt16(4 + extra.count) : 0)
            directory.append16(0)
            directory.append16(0)
            directory.append16(0)
            directory.append32(UInt32(0o100644) << 16)
            directory.append32(field32(entry.offset))
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
        if count >= UInt64(entryCountLimit) || directoryOffset >= zip32Limit || directorySize >= zip32Limit {
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
        let countField = UInt16(min(count, UInt64(entryCountLimit)))
        directory.append16(countField)  // entries on this disk
        directory.append16(countField)  // entries in all
        directory.append32(field32(directorySize))
        directory.append32(field32(directoryOffset))
        directory.append16(0)
        return directory
    }

    /// A value for a 32-bit field: itself, or all ones when it lives in the ZIP64 extra field.
    static func field32(_ value: UInt64) -> UInt32 {
        value >= zip32Limit ? UInt32.max : UInt32(value)
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

/// Entry names made unique within one archive, ignoring case: "Kick.wav", "Kick (2).wav", ...
struct ZipEntryNames {
    private var taken = Set<String>()

    mutating func unique(_ name: String) -> String {
        var candidate = name
        var number = 2
        while taken.contains(candidate.lowercased()) {
            let dot = name.lastIndex(of: ".")
            candidate = dot.map { String(name[..<$0]) + " (\(number))" + String(name[$0...]) } ?? name + " (\(number))"
            number += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }
}

/// A ZIP archive written front to back into a stream (an HTTP body) with no file and no going
/// back: each entry's header, its bytes as they come, then a data descriptor with its CRC and
/// size; the central directory at the end. The caller sends each returned piece in order.
public struct ZipStream: Sendable {
    private var offset: UInt64 = 0
    private var entries: [ZipRecords.Entry] = []
    private var names = ZipEntryNames()
    private var current: (entry: ZipRecords.Entry, zip64: Bool, crc: CRC32)?

    public init() {}

    /// The local header of the next entry; `size` (as stat gives it) decides whether it needs ZIP64.
    public mutating func begin(name: String, size: UInt64, modifiedNs: Int64) -> [UInt8] {
        let bytes = Array(names.unique(name).utf8)
        let (time, date) = ZipRecords.dosDateTime(secondsSince1970: modifiedNs / 1_000_000_000)
        let zip64 = size >= ZipRecords.zip32Limit
        let header = ZipRecords.localHeader(name: bytes, dosTime: time, dosDate: date, zip64: zip64, streamed: true)
        current = (ZipRecords.Entry(name: bytes, crc: 0, size: 0, offset: offset, dosTime: time, dosDate: date), zip64, CRC32())
        offset += UInt64(header.count)
        return header
    }

    /// Counts a piece of the current entry's bytes (send it as it is).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        current?.crc.update(bytes)
        count(UInt64(bytes.count))
    }

    private mutating func count(_ length: UInt64) {
        current?.entry.size += length
        offset += length
    }

    /// The current entry's data descriptor; nil when no entry is open, or when it grew past 4 GiB
    /// without the ZIP64 header (the archive would lie about it: stop the stream).
    public mutating func end() -> [UInt8]? {
        guard let (opened, zip64, crc) = current else { return nil }
        current = nil
        var entry = opened
        guard zip64 || entry.size < ZipRecords.zip32Limit else { return nil }
        entry.crc = crc.value
        entries.append(entry)
        let descriptor = ZipRecords.dataDescriptor(crc: entry.crc, size: entry.size, zip64: zip64)
        offset += UInt64(descriptor.count)
        return descriptor
    }

    /// The central directory and end records: the archive's last bytes.
    public func finish() -> [UInt8] {
        ZipRecords.centralDirectory(entries, at: offset, streamed: true)
    }

    /// The exact length of the archive these entries make, known before a byte is read: headers,
    /// descriptors and the directory depend only on names and sizes (not on the CRCs), so a
    /// download can carry a Content-Length and show its progress.
    public static func length(of files: [(name: String, size: UInt64, modifiedNs: Int64)]) -> UInt64? {
        var zip = ZipStream()
        var total: UInt64 = 0
        for file in files {
            total += UInt64(zip.begin(name: file.name, size: file.size, modifiedNs: file.modifiedNs).count)
            zip.count(file.size)
            guard let descriptor = zip.end() else { return nil }
            total += file.size + UInt64(descriptor.count)
        }
        return total + UInt64(zip.finish().count)
    }
}
