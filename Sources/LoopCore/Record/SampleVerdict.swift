/// Tempo, key and type decided from the evidence, each with its source.
///
/// The order, for every file:
/// 1. Type: the file's own loop info (the ACID one-shot flag), else the
///    names and the audio weighed: a word in the file's own name ("loop",
///    "oneshot") weighs 0.9, a folder's ("Loops", "One Shots") 0.6, and the
///    audio its confidence (`RhythmAnalyzer`: a loop-length clip with a
///    steady pulse over many onsets, or a single hit, is clear; a weak pulse
///    is not). The heaviest wins, names on a tie. Otherwise unknown.
/// 2. Tempo: never for a one-shot. The embedded tempo, then a tempo in the
///    name, each only if the file lasts a whole number of beats at it (within
///    5% of a beat, with or without its trailing silence), so a tempo that
///    does not fit is dropped, not trusted. Else the tempo heard in the
///    audio. Otherwise unknown.
/// 3. Key: the file's own key (ID3 `TKEY`), else a key in the name, else the
///    key heard in the audio (never for a one-shot: a tonal one-shot has a
///    root note instead, from the sampler or loop chunk, else from the
///    audio). Otherwise unknown.
///
/// The index derives the verdict whenever it stores a file or the file's
/// path changes (a rename to "Loop_128" must not keep the tempo of "Loop_124").
public struct SampleVerdict: Sendable, Equatable {
    public var bpm: Double?
    /// 0...1: for a named tempo, how exactly the file's length fits it; for a heard one, how strongly the audio pulses at it.
    public var bpmConfidence: Double?
    public var bpmSource: EvidenceSource?
    public var key: MusicalKey?
    /// 0...1: how well the audio's pitch profile fits the key; nil for a named key.
    public var keyStrength: Double?
    public var keySource: EvidenceSource?
    /// The pitch class of a tonal one-shot, such as "C#".
    public var rootNote: String?
    public var type: SampleType?
    public var typeSource: EvidenceSource?
    /// 0...1: what the evidence for the type weighed (`typeWeight`, or the audio's confidence); 1 for the file's own flag.
    public var typeConfidence: Double?
    public var instruments: [String] = []

    /// What the decode pass measured; all nil when the file could not be decoded.
    public struct AudioEvidence: Sendable, Equatable {
        public var duration: Double?
        public var trailingSilence: Double?
        public var bpm: Double?
        public var bpmConfidence: Double?
        public var type: SampleType?
        public var typeConfidence: Double?
        public var key: MusicalKey?
        public var keyStrength: Double?
        public var rootNote: String?
        /// From the file's chunks.
        public var embeddedTempo: Double?
        public var embeddedOneShot: Bool?
        public var embeddedRootMidiNote: Int?
        public var embeddedKey: MusicalKey?

        public init(
            duration: Double? = nil, trailingSilence: Double? = nil, bpm: Double? = nil, bpmConfidence: Double? = nil,
            type: SampleType? = nil, typeConfidence: Double? = nil, key: MusicalKey? = nil, keyStrength: Double? = nil, rootNote: String? = nil,
            embeddedTempo: Double? = nil, embeddedOneShot: Bool? = nil, embeddedRootMidiNote: Int? = nil, embeddedKey: MusicalKey? = nil
        ) {
            self.embeddedKey = embeddedKey
            self.embeddedTempo = embeddedTempo
            self.embeddedOneShot = embeddedOneShot
            self.embeddedRootMidiNote = embeddedRootMidiNote
            self.duration = duration
            self.trailingSilence = trailingSilence
            self.bpm = bpm
            self.bpmConfidence = bpmConfidence
            self.type = type
            self.typeConfidence = typeConfidence
            self.key = key
            self.keyStrength = keyStrength
            self.rootNote = rootNote
        }
    }

    /// What a loop or one-shot word weighs against the audio's confidence: the file's own name more
    /// than a folder's, which packs reuse loosely ("One Shots" holding fills and short loops).
    static func typeWeight(of source: EvidenceSource) -> Double {
        source == .filename ? 0.9 : 0.6
    }

    /// The weight of an audio type stored before it had a confidence: below a folder's word, as it then ranked.
    static let unweighedAudioType = 0.5

    /// How close to a whole number of beats a file must be, as a fraction of a beat.
    static let beatFitTolerance = 0.05

    public init(audio: AudioEvidence, names: NameHints) {
        instruments = names.instruments
        if let oneShot = audio.embeddedOneShot {
            type = oneShot ? .oneShot : .loop
            typeSource = .embedded
            typeConfidence = 1
        } else {
            // Weighed, not ranked: clear audio outranks a folder's word, the file's own name outranks both.
            var weighed: [(type: SampleType, weight: Double, source: EvidenceSource)] = []
            if let type = names.type { weighed.append((type, Self.typeWeight(of: names.typeSource), names.typeSource)) }
            if let type = audio.type { weighed.append((type, audio.typeConfidence ?? Self.unweighedAudioType, .audio)) }
            if let strongest = weighed.max(by: { $0.weight < $1.weight }) {
                type = strongest.type
                typeSource = strongest.source
                typeConfidence = strongest.weight
            }
        }
        let lengths = audio.duration.map { [$0, $0 - (audio.trailingSilence ?? 0)] } ?? []
        let oneShot = type == .oneShot
        if !oneShot, let embedded = audio.embeddedTempo, let fit = Self.fit(bpm: embedded, lengths: lengths) {
            bpm = embedded
            bpmConfidence = fit
            bpmSource = .embedded
        } else if !oneShot, let named = names.bpm, let fit = Self.fit(bpm: named, lengths: lengths) {
            bpm = named
            bpmConfidence = fit
            bpmSource = names.bpmSource
        } else if !oneShot, let heard = audio.bpm {
            bpm = heard
            bpmConfidence = audio.bpmConfidence
            bpmSource = .audio
        }
        if let key = audio.embeddedKey {
            self.key = key
            keySource = .embedded
        } else if let key = names.key {
            self.key = key
            keySource = names.keySource
        } else if !oneShot, let key = audio.key {
            self.key = key
            keyStrength = audio.keyStrength
            keySource = .audio
        }
        if oneShot {
            rootNote = audio.embeddedRootMidiNote.map { MusicalKey.noteName(pitchClass: $0) } ?? audio.rootNote
        }
    }

    /// How well the best of `lengths` (seconds) fits a whole number of beats at
    /// `bpm`: 1 for an exact fit, falling to 0 half a beat away (Font and
    /// Serra's loop confidence); nil beyond the tolerance.
    static func fit(bpm: Double, lengths: [Double]) -> Double? {
        let fits = lengths.compactMap { length -> Double? in
            let beats = length * bpm / 60
            let distance = abs(beats - beats.rounded())
            return beats >= 0.95 && distance <= beatFitTolerance ? 1 - distance / 0.5 : nil
        }
        return fits.max()
    }
}

extension SampleVerdict.AudioEvidence {
    /// What an analysis found; all unknown for a file that could not be decoded.
    public init(_ analysis: AudioAnalysis?) {
        guard let analysis else {
            self.init()
            return
        }
        self.init(
            duration: analysis.duration, trailingSilence: analysis.trailingSilence, bpm: analysis.audioBpm,
            bpmConfidence: analysis.audioBpmConfidence, type: analysis.audioType,
            typeConfidence: analysis.audioTypeConfidence, key: analysis.audioKey.flatMap(MusicalKey.init(parsing:)),
            keyStrength: analysis.audioKeyStrength, rootNote: analysis.rootNote, embeddedTempo: analysis.embedded.tempo,
            embeddedOneShot: analysis.embedded.oneShot, embeddedRootMidiNote: analysis.embedded.rootMidiNote,
            embeddedKey: analysis.embedded.key.flatMap(MusicalKey.init(parsing:))
        )
    }
}
