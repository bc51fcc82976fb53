import CSndFile
import LoopCore

/// What a file's own chunks say: loop info (WAV `acid`, AIFF Apple Loops
/// `basc`), the sampler chunk (`smpl` / AIFF `INST`: root note, loop points)
/// and text tags (RIFF INFO, Vorbis comments, ID3), as libsndfile exposes them.
public struct EmbeddedMetadata: Sendable, Equatable, Codable {
    /// Tempo from the loop info; nil when absent or not positive.
    public var tempo: Double?
    public var beats: Int?
    /// true when the loop info marks the file as a one-shot, false when as a loop.
    public var oneShot: Bool?
    /// MIDI note from the loop info or the sampler chunk.
    public var rootMidiNote: Int?
    /// Sustain loops from the sampler chunk, as frame ranges.
    public var loopPoints: [ClosedRange<Int64>] = []
    public var title: String?
    public var artist: String?
    public var genre: String?
    public var comment: String?

    public init() {}

    public var isEmpty: Bool { self == EmbeddedMetadata() }
}

extension SoundFile {
    /// The metadata libsndfile found while opening the file.
    func embeddedMetadata() -> EmbeddedMetadata {
        var metadata = EmbeddedMetadata()
        var loop = SF_LOOP_INFO()
        if command(Int32(SFC_GET_LOOP_INFO), &loop) {
            if loop.bpm > 0 && loop.bpm.isFinite { metadata.tempo = Double(loop.bpm) }
            if loop.num_beats > 0 { metadata.beats = Int(loop.num_beats) }
            metadata.oneShot = loop.loop_mode == Int32(SF_LOOP_NONE)
            if (0...127).contains(loop.root_key) { metadata.rootMidiNote = Int(loop.root_key) }
        }
        var instrument = SF_INSTRUMENT()
        if command(Int32(SFC_GET_INSTRUMENT), &instrument) {
            if metadata.rootMidiNote == nil, (1...127).contains(Int(instrument.basenote)) { metadata.rootMidiNote = Int(instrument.basenote) }
            let count = min(Int(instrument.loop_count), 16)
            for index in 0..<max(count, 0) {
                var start: UInt32 = 0, end: UInt32 = 0
                if openloop_instrument_loop(&instrument, Int32(index), &start, &end) != 0, end > start {
                    metadata.loopPoints.append(Int64(start)...Int64(end))
                }
            }
        }
        metadata.title = string(Int32(SF_STR_TITLE))
        metadata.artist = string(Int32(SF_STR_ARTIST))
        metadata.genre = string(Int32(SF_STR_GENRE))
        metadata.comment = string(Int32(SF_STR_COMMENT))
        return metadata
    }
}
