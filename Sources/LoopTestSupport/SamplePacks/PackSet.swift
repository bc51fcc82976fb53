import LoopCore
import LoopSynth

/// A generated set of pack samples, the same for the same seed: the material
/// the analysis is tuned on (one seed) and scored on at first contact (another).
public enum PackSet {
    /// The seed of the set the analysis may be tuned on.
    public static let tuningSeed: UInt64 = 0x0A11_7E57
    /// The held-out set's seed: scored, never tuned on.
    public static let heldOutSeed: UInt64 = 0x4E1D_0B7C

    /// Shares of each content in a set: mostly loops, as packs are.
    static let contentWeights: [(PackContent, Int)] = [
        (.drums, 18), (.bass, 10), (.chords, 12), (.arpeggio, 10), (.melody, 10), (.keysAndBass, 6), (.fullMix, 10),
        (.drumHit, 12), (.bassHit, 8), (.chordStab, 4),
    ]
    static let kinds: [AudioFileKind] = [.wav16, .wav16, .wav24, .aiff16, .aiff24, .flac16, .flac24, .ogg, .mp3]
    static let sampleRates = [22050, 44100, 44100, 44100, 48000, 48000, 96000]

    public static func samples(seed: UInt64, count: Int) -> [PackSample] {
        var rng = SplitMix(seed: seed)
        return (0..<count).map { index in sample(index: index, rng: &rng) }
    }

    static func sample(index: Int, rng: inout SplitMix) -> PackSample {
        let content = pick(contentWeights, rng: &rng)
        let style = PackStyle.allCases.randomElement(using: &rng) ?? .house
        let bpm = Double(Int.random(in: style.tempos, using: &rng))
        // Packs cut loops to 1, 2, 4 or 8 bars; a one-bar loop comes at fast tempos.
        let bars = bpm >= 140 ? [1, 2, 4, 4, 8].randomElement(using: &rng) ?? 4 : [2, 4, 4, 8].randomElement(using: &rng) ?? 4
        let key = MusicalKey(pitchClass: Int.random(in: 0..<12, using: &rng), isMinor: Int.random(in: 0..<3, using: &rng) > 0)
        var production = PackProduction()
        production.cut = content.isLoop ? [PackProduction.Cut.seamless, .seamless, .hard, .withTail].randomElement(using: &rng) ?? .seamless : .hard
        production.reverb = Bool.random(using: &rng)
        production.delay = content.isTonal && Int.random(in: 0..<4, using: &rng) == 0
        production.pump = content.isTonal && content.isLoop && Int.random(in: 0..<4, using: &rng) == 0
        production.filterSweep = content.isLoop && Int.random(in: 0..<6, using: &rng) == 0
        production.limiter = Int.random(in: 0..<4, using: &rng) > 0
        production.fadeOut = content.isLoop && Int.random(in: 0..<8, using: &rng) == 0
        production.mono = Int.random(in: 0..<4, using: &rng) == 0
        var sample = PackSample(
            content: content, style: style, bpm: bpm, bars: bars, key: key,
            rootNote: 28 + Int.random(in: 0..<20, using: &rng), production: production,
            kind: kinds.randomElement(using: &rng) ?? .wav16, sampleRate: sampleRates.randomElement(using: &rng) ?? 44100,
            seed: rng.next(), relativePath: "", namesMislead: false
        )
        // MP3 stops at 48 kHz, and Debian's Vorbis encoder crashes on some 96 kHz input: lossy packs ship at 44.1 or 48.
        if sample.kind == .mp3 || sample.kind == .ogg { sample.sampleRate = min(sample.sampleRate, 48000) }
        let naming = pick(PackNaming.weights, rng: &rng)
        sample.relativePath = naming.relativePath(for: sample, index: index, rng: &rng)
        sample.namesMislead = naming == .misleadingFolder
        return sample
    }

    static func pick<Value>(_ weighted: [(Value, Int)], rng: inout SplitMix) -> Value {
        var roll = Int.random(in: 0..<weighted.reduce(0) { $0 + $1.1 }, using: &rng)
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[0].0
    }
}
