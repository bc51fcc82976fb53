import Foundation
import LoopCore

/// Key (tonic and mode) of tonal loops, and the root note of tonal one-shots,
/// from a chroma profile correlated with the Krumhansl-Kessler key profiles.
///
/// The audio is mixed to mono and decimated to about 5.5 kHz; 2048-point
/// spectra (0.37 s, 2.7 Hz apart) between 55 and 2,600 Hz are folded into
/// twelve pitch classes. (The fundamentals and first harmonics of nearly all
/// musical notes lie there; going wider cost more than all other analyzers.) A key is reported only when the profile is both
/// peaked (tonal) and fits a key well; drums and noise get none. The bass
/// (below 260 Hz) breaks near-ties between relative keys: a loop's bass sits
/// on its tonic more than on any other note. One-shots get a root note, the
/// strongest pitch class, when one pitch clearly leads.
public final class KeyAnalyzer: BlockAnalyzer {
    public static let name = "key"
    public static let version = 3

    static let frameSize = 2048
    static let targetRate = 5512
    static let frequencyRange = 55.0...2600.0
    /// Below this correlation with the best key profile, no key.
    static let weakestKey = 0.7
    /// Below this share of the chroma in its strongest pitch classes, the sound is not tonal.
    static let leastTonal: Float = 0.42
    /// A root note must stand this far above the next pitch class.
    static let clearestRootRatio: Float = 1.5
    /// A root note holds at least this share of the chroma: cymbals and cowbells spread theirs wider than a note.
    static let rootShare: Float = 0.3
    /// How much of a bin's magnitude a third harmonic is taken to be, against the bin a twelfth below.
    /// Discounting it set 17 of 17 pack 808s right (14 before); for loops' keys it did harm (0.66 to 0.60).
    static let thirdHarmonicShare: Float = 0.3

    /// Krumhansl-Kessler's profiles. On the pack set Temperley's (Kostka-Payne) scored lower (0.60 against
    /// 0.63 of tonal loops' keys), and so did chroma from spectral peaks only (it let drum hits look tonal).
    private static let majorProfile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
    private static let minorProfile = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]
    static let bassTop = 260.0
    /// How much the bass's share of a key's tonic adds to its correlation: what tells relative keys apart.
    static let bassWeight = 0.3
    private static let spectrumTables = SpectrumTables(size: frameSize)

    private let spectrum = Spectrum(tables: KeyAnalyzer.spectrumTables)
    private let pitchClassOfBin: [Int?]
    private var decimator: MonoDecimator
    private var decimated: [Float] = []
    private var chroma = [Float](repeating: 0, count: 12)
    /// The chroma with third harmonics discounted, for a one-shot's root note.
    private var noteChroma = [Float](repeating: 0, count: 12)
    /// The same from the bass alone (up to about 260 Hz): where the tonic of a loop usually sits.
    private var bassChroma = [Float](repeating: 0, count: 12)
    private let bassTopBin: Int

    public init(format: StreamFormat) {
        decimator = MonoDecimator(channels: format.channels, decimation: format.sampleRate / Self.targetRate)
        let rate = Double(max(format.sampleRate, 1)) / Double(max(1, format.sampleRate / Self.targetRate))
        pitchClassOfBin = (0...(Self.frameSize / 2)).map { bin in
            let frequency = Double(bin) * rate / Double(Self.frameSize)
            guard Self.frequencyRange.contains(frequency) else { return nil }
            let midi = 69 + 12 * log2(frequency / 440)
            return (Int(midi.rounded()) % 12 + 12) % 12
        }
        bassTopBin = Int(Self.bassTop * Double(Self.frameSize) / rate)
        decimated.reserveCapacity(Self.frameSize)
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        let made = decimator.run(samples, frames: frames)
        var offset = 0
        while offset < made {
            let taken = min(made - offset, Self.frameSize - decimated.count)
            decimated.append(contentsOf: decimator.output[offset..<(offset + taken)])
            offset += taken
            if decimated.count == Self.frameSize { analyseFrame() }
        }
    }

    private func analyseFrame() {
        let magnitudes = spectrum.magnitudes(of: decimated)
        for (bin, pitchClass) in pitchClassOfBin.enumerated() {
            guard let pitchClass else { continue }
            chroma[pitchClass] += magnitudes[bin]
            if bin <= bassTopBin { bassChroma[pitchClass] += magnitudes[bin] }
            // Less of what may be the third harmonic of a note a twelfth below, which adds to the
            // fifth above the root: what made a low G read as D.
            noteChroma[pitchClass] += max(0, magnitudes[bin] - Self.thirdHarmonicShare * magnitudes[bin / 3])
        }
        decimated.removeAll(keepingCapacity: true)
    }

    public func finish(into result: inout AudioAnalysis) {
        if decimated.count > Self.frameSize / 4 {
            decimated += [Float](repeating: 0, count: Self.frameSize - decimated.count)
            analyseFrame()
        }
        let total = chroma.reduce(0, +)
        guard total > 0 else { return }
        let sorted = chroma.sorted(by: >)
        // Tonal sound gathers in a few pitch classes (a chord's three or four); noise spreads over all twelve.
        let tonalShare = sorted.prefix(4).reduce(0, +) / total
        guard tonalShare >= Self.leastTonal else { return }
        if result.audioType == .oneShot {
            let notes = noteChroma.sorted(by: >), noteTotal = noteChroma.reduce(0, +)
            if notes[0] >= Self.clearestRootRatio * notes[1], notes[0] >= Self.rootShare * noteTotal,
               let strongest = noteChroma.indices.max(by: { noteChroma[$0] < noteChroma[$1] }) {
                result.rootNote = MusicalKey.noteName(pitchClass: strongest)
            }
            return
        }
        let profile = chroma.map(Double.init)
        var best: (key: MusicalKey, correlation: Double, score: Double)?
        for tonic in 0..<12 {
            for minor in [false, true] {
                let template = minor ? Self.minorProfile : Self.majorProfile
                let rotated = (0..<12).map { template[(($0 - tonic) % 12 + 12) % 12] }
                let correlation = Self.pearson(profile, rotated)
                let score = correlation + Self.bassWeight * bassShare(of: tonic)
                if score > (best?.score ?? -2) { best = (MusicalKey(pitchClass: tonic, isMinor: minor), correlation, score) }
            }
        }
        guard let best, best.correlation >= Self.weakestKey else { return }
        result.audioKey = best.key.name
        result.audioKeyStrength = best.correlation
    }

    /// The share of the bass's chroma on `pitchClass`, relative to its strongest pitch class.
    private func bassShare(of pitchClass: Int) -> Double {
        guard let strongest = bassChroma.max(), strongest > 0 else { return 0 }
        return Double(bassChroma[pitchClass] / strongest)
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let meanA = a.reduce(0, +) / Double(a.count), meanB = b.reduce(0, +) / Double(b.count)
        var product = 0.0, squaresA = 0.0, squaresB = 0.0
        for index in a.indices {
            product += (a[index] - meanA) * (b[index] - meanB)
            squaresA += (a[index] - meanA) * (a[index] - meanA)
            squaresB += (b[index] - meanB) * (b[index] - meanB)
        }
        return squaresA > 0 && squaresB > 0 ? product / (squaresA * squaresB).squareRoot() : 0
    }
}
