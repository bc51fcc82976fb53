import Foundation
import Hummingbird
import NIOCore
import LoopAnalysis
import LoopFiles
import NIOPosix
import Synchronization

/// A sound a browser cannot play (AIFF and the rest), decoded while it is sent to a 16-bit PCM
/// WAV whose every byte is known in advance, so that it can be sought: a range of the WAV is a
/// range of frames, decoded from there.
struct DecodedPreview: Sendable {
    let path: String
    let channels: Int
    let sampleRate: Int
    let frames: Int64

    static let headerLength: Int64 = 44
    var blockAlign: Int64 { Int64(channels) * 2 }
    var dataLength: Int64 { frames * blockAlign }
    var size: Int64 { Self.headerLength + dataLength }

    /// Nil when libsndfile cannot read it, or the WAV would pass 4 GiB.
    init?(path: String) {
        guard let decoder = try? PCM16Decoder(path: path) else { return nil }
        self.path = path
        channels = decoder.channels
        sampleRate = decoder.sampleRate
        frames = decoder.frames
        guard Self.headerLength + dataLength <= Int64(UInt32.max) else { return nil }
    }

    /// The canonical 44-byte header of a PCM WAV.
    var header: [UInt8] { Self.header(channels: channels, sampleRate: sampleRate, frames: frames) }

    /// The 44-byte header of a 16-bit PCM WAV of `frames` frames.
    static func header(channels: Int, sampleRate: Int, frames: Int64) -> [UInt8] {
        let blockAlign = Int64(channels) * 2
        let dataLength = frames * blockAlign
        var bytes = Array("RIFF".utf8)
        bytes.append32(UInt32(headerLength + dataLength - 8))
        bytes += Array("WAVEfmt ".utf8)
        bytes.append32(16)
        bytes.append16(1)  // PCM
        bytes.append16(UInt16(channels))
        bytes.append32(UInt32(sampleRate))
        bytes.append32(UInt32(Int64(sampleRate) * blockAlign))
        bytes.append16(UInt16(blockAlign))
        bytes.append16(16)
        bytes += Array("data".utf8)
        bytes.append32(UInt32(dataLength))
        return bytes
    }

    /// Frames decoded per read: about 64 KiB of stereo audio.
    static let chunkFrames = 16 * 1024

    /// The bytes of `range`: the header's part, then the frames from the one the range starts in.
    func body(_ range: ClosedRange<Int64>, pacedBy eventLoop: any EventLoop, threadPool: NIOThreadPool = .singleton) -> ResponseBody {
        ResponseBody(contentLength: Int(range.count)) { writer in
            var position = range.lowerBound
            if position < Self.headerLength {
                let header = header
                let end = min(range.upperBound, Self.headerLength - 1)
                try await writer.write(ByteBuffer(bytes: header[Int(position)...Int(end)]))
                position = end + 1
            }
            if position <= range.upperBound {
                let decoder: Mutex<PCM16Decoder>
                do {
                    decoder = Mutex(try PCM16Decoder(path: path))
                } catch {
                    throw APIError(.internalServerError, "The sound could not be decoded: \(error).")
                }
                let first = (position - Self.headerLength) / blockAlign
                guard decoder.withLock({ $0.seek(toFrame: first) }) else { throw APIError(.internalServerError, "The sound could not be sought to frame \(first).") }
                // Bytes of the first frame before the range's start are skipped.
                var skip = Int((position - Self.headerLength) - first * blockAlign)
                while position <= range.upperBound {
                    let chunk = try await threadPool.runIfActive { () throws -> ByteBuffer in
                        try decoder.withLock { try read($0) }
                    }
                    var bytes = chunk.readableBytesView.dropFirst(skip)
                    skip = 0
                    bytes = bytes.prefix(Int(range.upperBound - position + 1))
                    try await writer.write(ByteBuffer(bytes: bytes), pacedBy: eventLoop)
                    position += Int64(bytes.count)
                }
            }
            try await writer.finish(nil)
        }
    }

    private func read(_ decoder: PCM16Decoder) throws -> ByteBuffer {
        var samples = [Int16](repeating: 0, count: Self.chunkFrames * channels)
        let count = samples.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { decoder.read(into: $0, frames: Self.chunkFrames) } ?? 0 }
        // Fewer frames than the header promised: end the connection rather than send a short body as whole.
        guard count > 0 else { throw APIError(.internalServerError, "The sound ended before the frames its header promised.") }
        return samples.withUnsafeBytes { ByteBuffer(bytes: $0.prefix(count * channels * 2)) }
    }
}
