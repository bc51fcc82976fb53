/// Tempo, key and type decided from the evidence, each with its source.
///
/// The order, for every file:
/// 1. Type: the names ("Loops", "One Shots", "oneshot" in the file or a
///    folder; the file's own name wins). Otherwise unknown.
/// 2. Tempo: never for a one-shot. A tempo in the name counts only if the
///    file lasts a whole number of beats at that tempo (within 5% of a beat,
///    with or without its trailing silence), so "120 BPM" on a clip that does
///    not fit is dropped, not trusted. Otherwise unknown.
/// 3. Key: a key in the name. Otherwise unknown.
/// Analyzers of the audio itself add their evidence below these as they
/// arrive; until then "unknown" is stored rather than a guess.
///
/// The index derives the verdict whenever it stores a file or the file's
/// path changes (a rename to "Loop_128" must not keep the tempo of "Loop_124").
public struct SampleVerdict: Sendable, Equatable {
    public var bpm: Double?
    public var bpmSource: String?
    public var key: MusicalKey?
    public var keySource: String?
    public var type: String?
    public var typeSource: String?
    public var instruments: [String] = []

    /// How close to a whole number of beats a file must be, as a fraction of a beat.
    static let beatFitTolerance = 0.05

    /// `duration` and `trailingSilence` in seconds, from the decode; nil when the file could not be decoded.
    public init(duration: Double?, trailingSilence: Double?, names: NameHints) {
        instruments = names.instruments
        if let type = names.type {
            self.type = type
            typeSource = "filename"
        }
        if type != "one-shot", let named = names.bpm, let duration,
           Self.fits(bpm: named, lengths: [duration, duration - (trailingSilence ?? 0)]) {
            bpm = named
            bpmSource = "filename"
        }
        if let key = names.key {
            self.key = key
            keySource = "filename"
        }
    }

    /// Whether any of `lengths` (seconds) is a whole number of beats at `bpm`.
    static func fits(bpm: Double, lengths: [Double]) -> Bool {
        lengths.contains { length in
            let beats = length * bpm / 60
            return beats >= 0.95 && abs(beats - beats.rounded()) <= beatFitTolerance
        }
    }
}
