#if canImport(Glibc)
import Glibc
#endif
import LoopCore

/// Finds the bytes of an ID3v2 tag in a file: at its very start (MP3, and
/// some FLAC files), or in an `id3 ` / `ID3 ` chunk of a WAV or AIFF file.
enum ID3TagLocator {
    /// Tags larger than this (embedded artwork) are read only up to it; the text frames come first in practice.
    static let largestRead = 1 << 20
    /// A file with more chunks than this before its tag is not worth walking further.
    static let mostChunks = 256

    static func tagBytes(path: String) -> [UInt8]? {
        let fd = FileName.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard let header = read(fd, at: 0, count: 12), header.count == 12 else { return nil }
        if let size = ID3Tag.size(header: header) { return read(fd, at: 0, count: min(size, largestRead)) }
        let container = String(decoding: header[0..<4], as: UTF8.self), form = String(decoding: header[8..<12], as: UTF8.self)
        let littleEndian: Bool
        switch (container, form) {
        case ("RIFF", "WAVE"): littleEndian = true
        case ("FORM", "AIFF"), ("FORM", "AIFC"): littleEndian = false
        default: return nil
        }
        var offset: Int64 = 12
        for _ in 0..<mostChunks {
            guard let chunkHeader = read(fd, at: offset, count: 8), chunkHeader.count == 8 else { return nil }
            let id = String(decoding: chunkHeader[0..<4], as: UTF8.self)
            let sizeBytes = chunkHeader[4..<8]
            let size = Int64(littleEndian ? sizeBytes.reversed().reduce(0) { $0 << 8 | Int($1) } : sizeBytes.reduce(0) { $0 << 8 | Int($1) })
            if id == "id3 " || id == "ID3 " {
                return read(fd, at: offset + 8, count: Int(min(size, Int64(largestRead))))
            }
            // Chunks are padded to an even length.
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    private static func read(_ fd: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard got >= 0 else { return nil }
        return Array(bytes.prefix(got))
    }
}
