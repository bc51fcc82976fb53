import CSndFile
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Text tags and a sampler chunk to write with the audio.
    public struct Tags: Sendable {
        public var title: String?
        public var artist: String?
        public var genre: String?
        public var comment: String?
        /// MIDI note and one sustain loop for the sampler chunk (WAV `smpl`, AIFF `INST`).
        public var rootMidiNote: Int?
        public var loop: ClosedRange<Int>?
        /// Cue points, in frames (WAV `cue `).
        public var cuePoints: [Int]
        /// The broadcast extension (WAV `bext`).
        public var broadcast: Broadcast?

        public struct Broadcast: Sendable {
            public var description: String
            public var originator: String
            /// "YYYY-MM-DD" and "hh:mm:ss".
            public var date: String
            public var time: String

            public init(description: String, originator: String, date: String, time: String) {
                self.description = description
                self.originator = originator
                self.date = date
                self.time = time
            }
        }

        public init(
            title: String? = nil, artist: String? = nil, genre: String? = nil, comment: String? = nil, rootMidiNote: Int? = nil,
            loop: ClosedRange<Int>? = nil, cuePoints: [Int] = [], broadcast: Broadcast? = nil
        ) {
            self.cuePoints = cuePoints
            self.broadcast = broadcast
            self.title = title
            self.artist = artist
            self.genre = genre
            self.comment = comment
            self.rootMidiNote = rootMidiNote
            self.loop = loop
        }
    }

    /// Writes interleaved `samples` (`channels` per frame) as they are; returns the frames written.
    @discardableResult
    public static func write(
        path: String, kind: AudioFileKind, interleaved samples: [Float], sampleRate: Int = 44100, channels: Int = 1, tags: Tags = Tags()
    ) throws(SignalWriterError) -> Int {
        let file = try create(path: path, kind: kind, sampleRate: sampleRate, channels: channels)
        defer { sf_close(file) }
        // Tags go in before the audio: some formats write them in the header.
        for (type, value) in [(SF_STR_TITLE, tags.title), (SF_STR_ARTIST, tags.artist), (SF_STR_GENRE, tags.genre), (SF_STR_COMMENT, tags.comment)] {
            if let value, sf_set_string(file, Int32(type), value) != 0 {
                throw SignalWriterError(description: "libsndfile cannot store a tag in \(kind.rawValue)")
            }
        }
        if let note = tags.rootMidiNote {
            var instrument = SF_INSTRUMENT()
            instrument.basenote = CChar(note)
            instrument.velocity_hi = 127
            instrument.key_hi = 127
            if let loop = tags.loop {
                instrument.loop_count = 1
                _ = openloop_set_instrument_loop(&instrument, 0, Int32(SF_LOOP_FORWARD), UInt32(loop.lowerBound), UInt32(loop.upperBound))
            }
            let stored = withUnsafeMutableBytes(of: &instrument) { sf_command(file, Int32(SFC_SET_INSTRUMENT), $0.baseAddress, Int32($0.count)) }
            guard stored == SF_TRUE else { throw SignalWriterError(description: "libsndfile cannot store a sampler chunk in \(kind.rawValue)") }
        }
        if !tags.cuePoints.isEmpty {
            var cues = SF_CUES()
            for (index, position) in tags.cuePoints.prefix(100).enumerated() {
                _ = openloop_set_cue_position(&cues, Int32(index), UInt32(position))
            }
            let stored = withUnsafeMutableBytes(of: &cues) { sf_command(file, Int32(SFC_SET_CUE), $0.baseAddress, Int32($0.count)) }
            guard stored == SF_TRUE else { throw SignalWriterError(description: "libsndfile cannot store cue points in \(kind.rawValue)") }
        }
        if let broadcast = tags.broadcast {
            var info = SF_BROADCAST_INFO()
            copy(broadcast.description, into: &info.description)
            copy(broadcast.originator, into: &info.originator)
            copy(broadcast.date, into: &info.origination_date)
            copy(broadcast.time, into: &info.origination_time)
            let stored = withUnsafeMutableBytes(of: &info) { sf_command(file, Int32(SFC_SET_BROADCAST_INFO), $0.baseAddress, Int32($0.count)) }
            guard stored == SF_TRUE else { throw SignalWriterError(description: "libsndfile cannot store a broadcast extension in \(kind.rawValue)") }
        }
        let frames = samples.count / max(channels, 1)
        let done = samples.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
        guard done == sf_count_t(frames) else {
            throw SignalWriterError(description: "short write to \(path): \(String(cString: sf_strerror(file)))")
        }
        return frames
    }

    /// Copies `text`'s UTF-8 bytes into a fixed C char array (a tuple), truncating; the rest stays zero.
    private static func copy<Field>(_ text: String, into field: inout Field) {
        withUnsafeMutableBytes(of: &field) { raw in
            for (index, byte) in text.utf8.prefix(raw.count).enumerated() { raw[index] = byte }
        }
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

    /// Appends a chunk to a finished WAV or AIFF file and fixes the container's
    /// size: how tests make chunks libsndfile reads but cannot write (the ACID
    /// `acid` chunk, an `id3 ` tag). WAV sizes are little-endian, AIFF's big-endian.
    public static func appendChunk(to path: String, id: String, payload: [UInt8]) throws(SignalWriterError) {
        guard id.utf8.count == 4, let handle = fopen(path, "r+b") else {
            throw SignalWriterError(description: "cannot open \(path) to add a chunk")
        }
        defer { fclose(handle) }
        var magic = [UInt8](repeating: 0, count: 4)
        guard fread(&magic, 1, 4, handle) == 4 else { throw SignalWriterError(description: "cannot read \(path)") }
        let bigEndian = magic == Array("FORM".utf8)
        func size(_ value: UInt32) -> [UInt8] { bigEndian ? withUnsafeBytes(of: value.bigEndian) { Array($0) } : littleEndian(value) }
        var chunk = Array(id.utf8) + size(UInt32(payload.count)) + payload
        if payload.count % 2 == 1 { chunk.append(0) }
        fseek(handle, 0, SEEK_END)
        let end = ftell(handle)
        guard fwrite(chunk, 1, chunk.count, handle) == chunk.count else { throw SignalWriterError(description: "short write to \(path)") }
        fseek(handle, 4, SEEK_SET)
        let containerSize = size(UInt32(end + chunk.count - 8))
        guard fwrite(containerSize, 1, 4, handle) == 4 else { throw SignalWriterError(description: "short write to \(path)") }
    }

    /// An ACID loop-info chunk: one-shot flag, root note (MIDI), beats and tempo.
    public static func acidChunk(oneShot: Bool, rootMidiNote: Int?, beats: Int, tempo: Float) -> [UInt8] {
        var flags: UInt32 = oneShot ? 0x01 : 0
        if rootMidiNote != nil { flags |= 0x02 }
        return littleEndian(flags) + littleEndian(UInt16(rootMidiNote ?? 60)) + littleEndian(UInt16(0x8000)) + littleEndian(Float(0).bitPattern)
            + littleEndian(UInt32(beats)) + littleEndian(UInt16(4)) + littleEndian(UInt16(4)) + littleEndian(tempo.bitPattern)
    }

    /// Puts `bytes` before a finished file's own: how tests give an MP3 an ID3v2 tag.
    public static func prepend(_ bytes: [UInt8], to path: String) throws(SignalWriterError) {
        guard let original = FileManager.default.contents(atPath: path) else { throw SignalWriterError(description: "cannot read \(path)") }
        do {
            try (Data(bytes) + original).write(to: URL(fileURLWithPath: path))
        } catch {
            throw SignalWriterError(description: "cannot write \(path)")
        }
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
