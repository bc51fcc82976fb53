/// What a file's own chunks say: loop info (WAV `acid`, AIFF Apple Loops
/// `basc`), the sampler chunk (`smpl` / AIFF `INST`: root note, loop points),
/// cue points, the broadcast extension (`bext`), text tags (RIFF INFO, Vorbis
/// comments, ID3) and the ID3 tempo and key (`TBPM`, `TKEY`).
///
/// The analysis reads it with libsndfile, completed from ID3 tags (see
/// `SoundFile.embeddedMetadata` in LoopAnalysis).
public struct EmbeddedMetadata: Sendable, Equatable, Codable {
    /// Tempo from the loop info, else from ID3 `TBPM`; nil when absent or not positive.
    public var tempo: Double?
    /// Key from ID3 `TKEY`, as a key name ("F#m"); nil when absent or not a key.
    public var key: String?
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
    /// Cue point positions, in frames, in file order.
    public var cuePoints: [Int64] = []
    /// From the broadcast extension.
    public var description: String?
    public var originator: String?
    /// "YYYY-MM-DD hh:mm:ss" as the broadcast extension records it (local time of the recorder).
    public var originated: String?

    public init() {}

    public var isEmpty: Bool { self == EmbeddedMetadata() }

    /// The first sustain loop, the one a sampler plays.
    public var firstLoop: ClosedRange<Int64>? { loopPoints.first }
}

