import CSndFile

/// Why a generated file could not be written.
public struct SignalWriterError: Error, CustomStringConvertible {
    public var description: String
}

/// Writes generated audio files with libsndfile.
public enum SignalWriter {
    /// Writes `duration` seconds of `signal` to `path`; returns the frames written.
    @discardableResult
    public static func write(
        path: String, kind: AudioFileKind, signal: TestSignal,
        duration: Double, sampleRate: Int = 44100, channels: Int = 1
    ) throws(SignalWriterError) -> Int {
        let file = try create(path: path, kind: kind, sampleRate: sampleRate, channels: channels)
        defer { sf_close(file) }
        let totalFrames = Int((duration * Double(sampleRate)).rounded())
        var buffer: [Float] = []
        buffer.reserveCapacity(4096 * channels)
        var state = signal.initialState
        var written = 0
        while written < totalFrames {
            let frames = min(4096, totalFrames - written)
            signal.render(into: &buffer, startFrame: written, frames: frames, channels: channels, sampleRate: sampleRate, state: &state)
            let done = buffer.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
            guard done == sf_count_t(frames) else {
                throw SignalWriterError(description: "short write to \(path): \(String(cString: sf_strerror(file)))")
            }
            written += frames
        }
        return written
    }

    /// Writes interleaved `samples` (`channels` per frame) as they are; returns the frames written.
    @discardableResult
    public static func write(
        path: String, kind: AudioFileKind, interleaved samples: [Float], sampleRate: Int = 44100, channels: Int = 1
    ) throws(SignalWriterError) -> Int {
        let file = try create(path: path, kind: kind, sampleRate: sampleRate, channels: channels)
        defer { sf_close(file) }
        let frames = samples.count / max(channels, 1)
        let done = samples.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
        guard done == sf_count_t(frames) else {
            throw SignalWriterError(description: "short write to \(path): \(String(cString: sf_strerror(file)))")
        }
        return frames
    }

    private static func create(path: String, kind: AudioFileKind, sampleRate: Int, channels: Int) throws(SignalWriterError) -> OpaquePointer {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = kind.sndfileFormat
        guard sf_format_check(&info) != 0 else {
            throw SignalWriterError(description: "libsndfile cannot write \(kind.rawValue) at \(sampleRate) Hz with \(channels) channels")
        }
        guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw SignalWriterError(description: "cannot create \(path): \(String(cString: sf_strerror(nil)))")
        }
        return file
    }
}
