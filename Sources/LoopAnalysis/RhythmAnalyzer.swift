import Foundation
import LoopCore

/// Tempo and loop-or-one-shot from the audio.
///
/// A cut loop lasts a whole number of beats, so its tempo is one of
/// 60 * beats / length for a few beat counts (at least a bar's four, unless
/// that is too fast); the onset envelope's circular autocorrelation says which
/// of them the music pulses at most strongly. The beat level is then chosen
/// where the accents are: a candidate whose half-beats are nearly as strong as
/// its beats, or carry a hit of another colour (a snare's backbeat answering a
/// kick), is too slow; one whose every other beat is weak is too fast; half-
/// beats at least half as strong leave the level nearer 120 BPM; bright hits
/// (hats) on every sixteenth of a slow reading mean a half-time groove (trap,
/// drill, dubstep), which producers label at double; moves stay within 65-185
/// BPM, where nearly all loops are made. A figure that repeats every two beats
/// but not every beat (a dotted three-three-two rhythm) still marks the beat. A
/// loop that is not a whole number of beats long (one exported with its tail)
/// gets the period its onsets repeat at instead. A length that gives an integer
/// tempo exactly (to the sample) is evidence the loop was made at it: a reading
/// that is not an integer gives way to the best supported such candidate (a
/// three-bar loop read as two). A length that is not whole bars to the sample
/// (a tail, a fade) gives beat counts only roughly, so a reading from it that
/// the onsets' own period differs from by 0.6-4% gives way to that period. A
/// tempo that fits an integer tempo within 0.2% is reported as that integer. Clips that are short, do not repeat, or have
/// their strong onsets only near the start (a hit and its decay) are one-shots,
/// and have no tempo.
public final class RhythmAnalyzer: BlockAnalyzer {
    public static let name = "rhythm"
    public static let version = 7

    static let tempoRange = 55.0...210.0
    static let beatCounts = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128]
    /// Loops are at least this long; shorter clips are one-shots.
    static let shortestLoop = 1.0
    /// Periodicity (normalised autocorrelation at the beat) below this is not a rhythm.
    static let weakestPulse: Float = 0.15
    /// A tempo this close to an integer is reported as it.
    static let integerTolerance = 0.002
    /// What a length cut to the sample gives at an integer tempo: evidence the loop was made at it.
    static let exactLengthTolerance = 0.0001
    /// The type confidence of clear audio, above a folder's word (`SampleVerdict`), and of the rest, below it.
    static let clear = 0.8
    static let unclear = 0.5
    static let leaning = 0.65
    /// A pulse this strong over this many onsets, in a clip of whole beats, is clearly a loop.
    static let steadyPulse: Float = 0.3
    static let manyOnsets = 8
    /// Octave moves stay inside this range.
    static let preferredRange = 65.0...185.0

    private var envelope: OnsetEnvelope
    private let sampleRate: Int

    public init(format: StreamFormat) {
        sampleRate = format.sampleRate
        envelope = OnsetEnvelope(sampleRate: format.sampleRate, channels: format.channels)
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        envelope.consume(samples, frames: frames)
    }

    public func finish(into result: inout AudioAnalysis) {
        let seconds = result.duration
        guard seconds >= Self.shortestLoop, envelope.strengths.count >= 16 else {
            result.audioType = seconds > 0 ? .oneShot : nil
            result.audioTypeConfidence = seconds > 0 ? Self.clear : nil
            return
        }
        let onsets = separateOnsets()
        // The file's length, then without its trailing silence.
        let trailing = result.trailingSilence ?? 0
        let lengths = trailing > 0 ? [seconds, seconds - trailing] : [seconds]
        // Whole bars at an integer tempo, to the sample: how loops are cut, and a one-shot's length seldom is.
        let wholeBarTempo = lengths.lazy.compactMap(Self.wholeBarTempo).first
        // A hit and its decay, however its level wavers (an 808's long tail), is clearly a one-shot; so is
        // a short clip with one strong attack at its start and none half as strong after it, unless it
        // lasts whole bars (a chord loop of one or two bars at a fast tempo).
        if decaysAfterItsStart() || (wholeBarTempo == nil && seconds < 4 && onsets.laterAreDull && (onsets.strongestLeads || (seconds < 3 && fadesAway()))) {
            result.audioType = .oneShot
            result.audioTypeConfidence = Self.clear
            return
        }
        // Sustained chords cut to whole bars have few onsets, but they are a loop.
        guard onsets.spread || (wholeBarTempo != nil && onsets.count >= 2) else {
            result.audioType = .oneShot
            // One hit and its decay is clearly a one-shot; a few hits early on (a fill, a phrase) less so.
            result.audioTypeConfidence = onsets.count <= 2 ? Self.clear : Self.unclear
            return
        }
        // Lags up to two beats at the slowest tempo, and never past half the clip.
        let maxLag = min(envelope.strengths.count - 2, Int(2 * 60 / Self.tempoRange.lowerBound / envelope.hopSeconds) + 2)
        let correlation = CircularAutocorrelation(envelope.strengths, maxLag: maxLag)
        // Tempos the length allows, checked against the pulse. When none pulses but the clip lasts whole
        // bars at an integer tempo, that tempo, with no confidence from the pulse (held chords); when
        // the length gives nothing (a loop exported with its tail), the onsets' own period.
        let cut = lengths.lazy.compactMap { self.bestBeat(length: $0, correlation: correlation) }.first { $0.pulse >= Self.weakestPulse }
        guard var beat = cut ?? wholeBarTempo.map({ Beat(bpm: $0, pulse: 0) }) ?? freeBeat() else {
            result.audioType = .oneShot
            result.audioTypeConfidence = Self.unclear
            return
        }
        result.audioType = .loop
        // A length that is not whole bars to the sample (a tail, a fade) gives beat counts only
        // roughly: where the onsets' own period, pinned on its furthest repeat, is close but not
        // the same, it is the finer measure.
        if cut != nil, wholeBarTempo == nil, let free = freeBeat() {
            let ratio = free.bpm / beat.bpm
            if abs(ratio - 1) > 0.006 && abs(ratio - 1) < 0.04 { beat.bpm = free.bpm }
        }
        // A clip cut to whole beats with a steady pulse over many onsets is clearly a loop, whatever its folder
        // says; so is one with hits throughout that lasts whole bars at an integer tempo to the sample, as cut
        // loops do. A long clip with hits throughout leans to a loop, a little more than a folder's word.
        let steady = cut != nil && beat.pulse >= Self.steadyPulse && onsets.count >= Self.manyOnsets && seconds * beat.bpm / 60 >= 4 - 1e-6
        let cutToBars = seconds >= 3 && wholeBarTempo != nil
        if steady || cutToBars {
            result.audioTypeConfidence = Self.clear
        } else {
            result.audioTypeConfidence = seconds >= 4 && onsets.count >= Self.manyOnsets ? Self.leaning : Self.unclear
        }
        let rounded = beat.bpm.rounded()
        result.audioBpm = Self.isInteger(beat.bpm, within: Self.integerTolerance) ? rounded : (beat.bpm * 100).rounded() / 100
        result.audioBpmConfidence = Double(min(1, beat.pulse))
    }

    /// The integer tempo at which `length` seconds is 1, 2, 4, 8 or 16 bars of four beats, to the
    /// sample; the one nearest 120 BPM when several are; nil when none is.
    static func wholeBarTempo(length: Double) -> Double? {
        let tempos = [1.0, 2, 4, 8, 16].map { 240 * $0 / length }.filter { tempoRange.contains($0) && isInteger($0, within: exactLengthTolerance) }
        return tempos.min { abs(log2($0 / 120)) < abs(log2($1 / 120)) }?.rounded()
    }

    static func isInteger(_ bpm: Double, within tolerance: Double) -> Bool {
        abs(bpm - bpm.rounded()) / bpm.rounded() <= tolerance
    }

    static func areOctaves(_ first: Double, _ second: Double) -> Bool {
        let octaves = log2(first / second)
        return abs(octaves - octaves.rounded()) < 0.01
    }

    private struct Beat {
        var bpm: Double
        var pulse: Float
    }

    /// The beat-level tempo among the loop-length candidates for `length` seconds.
    private func bestBeat(length: Double, correlation: CircularAutocorrelation) -> Beat? {
        guard length >= Self.shortestLoop else { return nil }
        // Loops are cut to whole bars: fewer than four beats only when four or more would be too fast.
        let inRange = Self.beatCounts.map { 60 * Double($0) / length }.filter { Self.tempoRange.contains($0) }
        func holdsABar(_ bpm: Double) -> Bool { bpm * length / 60 >= 4 - 1e-6 }
        let bars = inRange.filter(holdsABar)
        let candidates = bars.contains(where: Self.preferredRange.contains) ? bars : inRange
        func pulse(_ bpm: Double) -> Float { correlation.value(atLag: 60 / bpm / envelope.hopSeconds) }
        // Start at the strongest pulse (the nearer to 120 BPM on a tie), then move to the level where the accents are.
        guard var bpm = candidates.max(by: { (pulse($0), -abs(log2($0 / 120))) < (pulse($1), -abs(log2($1 / 120))) }) else { return nil }
        let isCandidate = { (tempo: Double) in candidates.contains { abs($0 - tempo) < 1e-6 } }
        // A figure that repeats every two beats but not every beat (a dotted three-three-two
        // rhythm) still marks the beat, at half the confidence; two beats must be at most half the loop.
        func evidence(_ bpm: Double) -> Float {
            let figure = holdsABar(bpm) ? correlation.value(atLag: 2 * 60 / bpm / envelope.hopSeconds) / 2 : 0
            return max(pulse(bpm), figure)
        }
        bpm = beatLevel(from: bpm, allowed: isCandidate)
        // A length that gives an integer tempo exactly says the loop was made at it: a reading that is
        // not an integer gives way to the best supported such candidate other than its octaves (a
        // three-bar loop read as two).
        func isExact(_ tempo: Double) -> Bool { Self.isInteger(tempo, within: Self.exactLengthTolerance) }
        let integers = candidates.filter { isExact($0) && !Self.areOctaves($0, bpm) && evidence($0) >= Self.weakestPulse }
        if !isExact(bpm), let integer = integers.max(by: { evidence($0) < evidence($1) }) {
            bpm = beatLevel(from: integer, allowed: isCandidate)
        }
        return Beat(bpm: bpm, pulse: evidence(bpm))
    }

    /// Without a length to go by: the period at which the onsets repeat most strongly (a linear
    /// autocorrelation, since the clip does not wrap round), moved to the level where the accents
    /// are, and refined on the multiple of it furthest into the clip. Half as confident.
    private func freeBeat() -> Beat? {
        let hop = envelope.hopSeconds
        let correlation = LinearAutocorrelation(envelope.strengths, maxLag: envelope.strengths.count / 2)
        let lags = Int(60 / Self.tempoRange.upperBound / hop)...Int(60 / Self.tempoRange.lowerBound / hop)
        guard let lag = correlation.strongestPeak(in: lags) else { return nil }
        var bpm = beatLevel(from: 60 / (lag * hop)) { Self.tempoRange.contains($0) }
        let pulse = correlation.value(atLag: 60 / bpm / hop)
        guard pulse >= Self.weakestPulse else { return nil }
        // The peak k beats away pins the period k times more finely.
        let beatLag = 60 / bpm / hop
        let multiple = max(1, Int(Double(correlation.lagCount - 2) / beatLag))
        if multiple > 1, let far = correlation.strongestPeak(in: Int((Double(multiple) - 0.5) * beatLag)...Int((Double(multiple) + 0.5) * beatLag)),
           abs(far / Double(multiple) / beatLag - 1) < 0.03 {
            bpm = 60 * Double(multiple) / (far * hop)
        }
        return Beat(bpm: bpm, pulse: pulse / 2)
    }

    /// The beat level for a tempo at `start`: moved to where the accents are, to tempos `allowed`
    /// within the preferred range.
    private func beatLevel(from start: Double, allowed: (Double) -> Bool) -> Double {
        var bpm = start
        func isCandidate(_ tempo: Double) -> Bool { Self.preferredRange.contains(tempo) && allowed(tempo) }
        for _ in 0..<4 {
            let accents = BeatAccents(envelope.strengths, bright: envelope.brightStrengths, period: 60 / bpm / envelope.hopSeconds)
            let faster = bpm * 2, slower = bpm / 2
            // Half-beats as strong as the beats, or hits of another colour (kick and snare, on
            // whichever phase) alternating at the half-beat: the beat is faster.
            let backbeat = accents.offBeatShare >= 0.5 && max(accents.offBeatBrightness, 1 / accents.offBeatBrightness) >= 1.5
            // Half-beats at least half as strong leave both levels plausible: take the one nearer
            // 120 BPM, as tempo estimators weigh their candidates.
            let ambiguous = accents.offBeatShare >= 0.5 && abs(log2(faster / 120)) < abs(log2(bpm / 120))
            // Bright hits (hats) on most sixteenths of a slow reading are the eighths of a half-time
            // groove: trap, drill and dubstep are labelled at the faster level. There every other
            // beat is weak (the snare comes once a bar), so the level must not move back.
            if isCandidate(faster), accents.sixteenthShare >= 0.15, accents.sixteenthFill >= 0.5, accents.sixteenthBrightness >= 0.15 {
                return faster
            }
            // Below 80 BPM, where few grooves with hats on their sixteenths are made, half that brightness
            // will do: sampled hats under a loud kit (trap and drill at 138-147 read at half).
            if isCandidate(faster), bpm < 80, accents.sixteenthShare >= 0.15, accents.sixteenthFill >= 0.4, accents.sixteenthBrightness >= 0.08 {
                return faster
            }
            if isCandidate(faster), accents.offBeatShare >= 0.8 || backbeat || ambiguous || !Self.preferredRange.contains(bpm) {
                bpm = faster
            } else if isCandidate(slower), accents.alternateBeatShare < 0.5 || !Self.preferredRange.contains(bpm) {
                bpm = slower
            } else {
                break
            }
        }
        return bpm
    }

    /// Whether the clip is loudest near its start and never comes back: all of its second half at
    /// least 10 dB below its peak.
    private func decaysAfterItsStart() -> Bool {
        let levels = envelope.levels
        guard levels.count >= 20, let peak = levels.indices.max(by: { levels[$0] < levels[$1] }), levels[peak] > 0 else { return false }
        let secondHalf = levels[(levels.count / 2)...]
        return peak < levels.count * 3 / 10 && (secondHalf.max() ?? 0) <= 0.1 * levels[peak]
    }

    /// Whether each quarter of the clip is quieter than the one before and the last has at most half the
    /// first's level: a held note dying away, even one whose level wobbles (an 808 with a slow LFO).
    private func fadesAway() -> Bool {
        let levels = envelope.levels
        guard levels.count >= 40 else { return false }
        let quarter = levels.count / 4
        let rms = (0..<4).map { part in (levels[(part * quarter)..<((part + 1) * quarter)].reduce(0, +) / Float(quarter)).squareRoot() }
        return zip(rms, rms.dropFirst()).allSatisfy { $1 <= $0 } && rms[3] <= 0.5 * rms[0]
    }

    /// The strong onsets, counted; a loop has them throughout (`spread`), a one-shot's come at its start.
    /// `strongestLeads`: the strongest comes in the first tenth and no later one is half as strong.
    /// `laterAreDull`: the strong onsets after the first have almost no attack in the first-difference
    /// band, as a held note's wavering level has and drum hits do not.
    private func separateOnsets() -> (count: Int, spread: Bool, strongestLeads: Bool, laterAreDull: Bool) {
        let strengths = envelope.strengths, bright = envelope.brightStrengths
        guard let strongest = strengths.max(), strongest > 0 else { return (0, false, false, false) }
        let strong = strengths.indices.filter { strengths[$0] >= 0.3 * strongest }
        guard let first = strong.first, let last = strong.last else { return (0, false, false, false) }
        // Neighbouring hops belong to one onset.
        let separate = zip(strong, strong.dropFirst()).filter { $1 - $0 > 3 }.count + 1
        let firstOnsetEnds = zip(strong, strong.dropFirst()).first { $1 - $0 > 3 }?.0 ?? last
        let later = strengths.dropFirst(firstOnsetEnds + 4)
        let leads = first < strengths.count / 10 && !later.contains { $0 >= 0.5 * strongest }
        let after = strong.filter { $0 > firstOnsetEnds }
        let afterStrength = after.map { strengths[$0] }.reduce(0, +), afterBright = after.map { bright[$0] }.reduce(0, +)
        let dull = afterStrength == 0 || afterBright < 0.2 * afterStrength
        return (separate, separate >= 3 && Double(last) >= 0.4 * Double(strengths.count), leads, dull)
    }
}

/// How onsets sit on a grid of beats of `period` hops, at the phase that
/// puts the most onset strength on the beats.
struct BeatAccents {
    /// Strength half-way between beats relative to strength on them: near 1 when the beat is really twice as fast.
    let offBeatShare: Float
    /// The weaker of the odd and even beats relative to the stronger: small when the beat is really half as fast.
    let alternateBeatShare: Float
    /// How much brighter (more of the first-difference band) the half-beats are than the beats.
    let offBeatBrightness: Float
    /// Strength on the sixteenths (between beats and half-beats) relative to strength on the beats.
    let sixteenthShare: Float
    /// The share of sixteenths with a hit at least a tenth as strong as the beats.
    let sixteenthFill: Float
    /// The first-difference band's share of the sixteenths' strength: high for hats and shakers, low for tones.
    let sixteenthBrightness: Float

    init(_ strengths: [Float], bright: [Float], period: Double) {
        func strongest(at position: Double) -> Int {
            let centre = Int(position.rounded())
            // The onset may fall a hop either side of the grid.
            let window = max(0, centre - 1)...min(strengths.count - 1, centre + 1)
            return window.max { strengths[$0] < strengths[$1] } ?? window.lowerBound
        }
        func positions(phase: Double, every step: Double) -> [Int] {
            var found: [Int] = []
            var index = 0
            while phase + Double(index) * step < Double(strengths.count) - 0.5 {
                found.append(strongest(at: phase + Double(index) * step))
                index += 1
            }
            return found
        }
        func beats(phase: Double, every step: Double) -> [Float] {
            positions(phase: phase, every: step).map { strengths[$0] }
        }
        func brightness(phase: Double, every step: Double) -> Float {
            let found = positions(phase: phase, every: step)
            let total = found.map { strengths[$0] }.reduce(0, +)
            return total > 0 ? found.map { bright[$0] }.reduce(0, +) / total : 0
        }
        func mean(_ values: [Float]) -> Float { values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count) }
        guard period >= 1, strengths.count > 1, bright.count == strengths.count else {
            offBeatShare = 0
            alternateBeatShare = 1
            offBeatBrightness = 1
            sixteenthShare = 0
            sixteenthFill = 0
            sixteenthBrightness = 0
            return
        }
        let phases = (0..<max(1, Int(period))).map(Double.init)
        let phase = phases.max { mean(beats(phase: $0, every: period)) < mean(beats(phase: $1, every: period)) } ?? 0
        let onBeat = mean(beats(phase: phase, every: period))
        let offBeat = mean(beats(phase: phase + period / 2, every: period))
        let even = mean(beats(phase: phase, every: 2 * period))
        let odd = mean(beats(phase: phase + period, every: 2 * period))
        offBeatShare = onBeat > 0 ? offBeat / onBeat : 0
        alternateBeatShare = max(even, odd) > 0 ? min(even, odd) / max(even, odd) : 1
        let onBrightness = brightness(phase: phase, every: period)
        let offBrightness = brightness(phase: phase + period / 2, every: period)
        offBeatBrightness = onBrightness > 0 ? offBrightness / onBrightness : (offBrightness > 0 ? .infinity : 1)
        let sixteenths = beats(phase: phase + period / 4, every: period / 2)
        sixteenthShare = onBeat > 0 ? mean(sixteenths) / onBeat : 0
        sixteenthFill = onBeat > 0 ? mean(sixteenths.map { $0 >= 0.1 * onBeat ? 1 : 0 }) : 0
        sixteenthBrightness = brightness(phase: phase + period / 4, every: period / 2)
    }
}
