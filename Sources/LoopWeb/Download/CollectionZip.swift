import Crypto
import Foundation
import Hummingbird
import NIOCore
import LoopCore
import LoopFiles
import NIOPosix

/// A collection's sounds as one ZIP (stored entries, ZIP64 where needed), written while it is
/// sent: no temporary file, and memory for one chunk at a time. Each file's bytes are checked
/// against the SHA-256 the index holds when the file is the one indexed (same size and mtime);
/// a file that differs ends the stream, so the client gets a broken archive, never a wrong one.
struct CollectionZip: Sendable {
    let records: [SampleRecord]

    /// One client reads the archive: larger chunks than downloads use (fewer reads and writes).
    static let chunkLength = 256 * 1024

    /// The files as they are now, by `stat`: those gone since they were indexed are left out. The
    /// archive's length follows from them, and each is checked again when it is opened.
    static func present(_ records: [SampleRecord]) -> [(record: SampleRecord, size: Int64, modifiedNs: Int64)] {
        records.compactMap { record in
            guard let info = FileStat.of(record.path), info.kind == .regular else { return nil }
            return (record, info.size, info.mtimeNs)
        }
    }

    /// The archive as a body of known length, so that a browser shows the download's progress.
    func body(pacedBy eventLoop: any EventLoop, threadPool: NIOThreadPool = .singleton) -> ResponseBody {
        let files = Self.present(records)
        let entries = files.map { (name: ($0.record.path as NSString).lastPathComponent, size: UInt64($0.size), modifiedNs: $0.modifiedNs) }
        let length = ZipStream.length(of: entries).flatMap { Int(exactly: $0) }
        return ResponseBody(contentLength: length) { writer in
            var zip = ZipStream()
            // Headers, data and descriptors gathered into writes of about a chunk: a collection of
            // small files is otherwise three small writes per file, each a trip to the event loop.
            var pending = ByteBuffer()
            for (record, size, modifiedNs) in files {
                let name = (record.path as NSString).lastPathComponent
                // Changed or gone since it was measured: the archive would not have the length it
                // announced, so it ends here (the client sees it cut short).
                guard let file = OpenedFile(path: record.path), file.size == size, file.modifiedNs == modifiedNs else {
                    throw APIError(.internalServerError, "\(name) changed while the archive was sent; it was cut off.")
                }
                pending.writeBytes(zip.begin(name: name, size: UInt64(file.size), modifiedNs: file.modifiedNs))
                let checked = file.size == record.size && file.modifiedNs == record.modifiedNs ? record.hash : nil
                var hasher = SHA256()
                var offset: Int64 = 0
                while offset < file.size {
                    let length = Int(min(Int64(Self.chunkLength), file.size - offset))
                    var buffer = try await threadPool.runIfActive { [offset] in try file.read(length, at: offset) }
                    buffer.withUnsafeReadableBytes { bytes in
                        zip.update(bytes)
                        if checked != nil { hasher.update(bufferPointer: bytes) }
                    }
                    offset += Int64(buffer.readableBytes)
                    if pending.readableBytes == 0 {
                        pending = buffer
                    } else {
                        pending.writeBuffer(&buffer)
                    }
                    if pending.readableBytes >= Self.chunkLength {
                        try await writer.write(pending, pacedBy: eventLoop)
                        pending = ByteBuffer()
                    }
                }
                if let checked, ContentHasher.hex(hasher.finalize()) != checked {
                    throw APIError(.internalServerError, "\(name) no longer has the bytes that were indexed; the archive was cut off.")
                }
                guard let descriptor = zip.end() else { throw APIError(.internalServerError, "\(name) grew past 4 GiB while it was sent.") }
                pending.writeBytes(descriptor)
            }
            pending.writeBytes(zip.finish())
            try await writer.write(pending, pacedBy: eventLoop)
            try await writer.finish(nil)
        }
    }
}
