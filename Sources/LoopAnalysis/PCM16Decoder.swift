import CSndFile
import LoopCore

/// A file decoded to interleaved 16-bit PCM, from any frame: what a browser gets to audition a
/// format it cannot play (AIFF, CAF, ...). Not thread-safe: one reader at a time.
public final class PCM16Decoder {
    private let file: SoundFile

    public init(path: String) throws(AnalysisError) {
        file = try SoundFile(path: path)
    }

    public var channels: Int { file.channels }
    public var sampleRate: Int { file.sampleRate }
    /// Frames as the header gives them.
    public var frames: Int64 { Int64(file.info.frames) }

    /// Moves to `frame`; false when the file cannot seek there.
    public func seek(toFrame frame: Int64) -> Bool {
        file.seek(toFrame: frame)
    }

    /// Decodes up to `frames` frames into `buffer` (which holds `frames * channels` samples,
    /// little-endian on the platforms loopweb runs on); returns the frames decoded, 0 at the end.
    public func read(into buffer: UnsafeMutablePointer<Int16>, frames: Int) -> Int {
        file.readShorts(into: buffer, frames: frames)
    }
}
