import Foundation
import LoopCore

/// True peak (ITU-R BS.1770-4, Annex 2): the peak of the signal 4x
/// oversampled, which finds the peaks a DAC makes between samples.
///
/// The interpolator is a 48-tap windowed sinc in four 12-tap phases, run
/// with SIMD. Most of the signal never reaches it: the true peak is at least
/// the sample peak, so a run of 64 frames whose sample peak, times the most
/// any phase can amplify, cannot beat the larger of the two found so far is
/// skipped. Usually only the loudest few runs of a file are filtered.
public final class TruePeakAnalyzer: BlockAnalyzer {
    public static let name = "truepeak"
    public static let version = 2

    static let phases = 4
    static let tapsPerPhase = 12
    /// Tap `k` of all four phases (the weight of the sample `k` frames back in each), as one vector.
    static let tapsBack: [SIMD4<Float>] = {
        let length = phases * tapsPerPhase
        let centre = Double(length - 1) / 2
        let taps = (0..<length).map { n -> Double in
            let x = (Double(n) - centre) / Double(phases)
            let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            // A Blackman taper: a flat passband, little ripple.
            let t = Double(n) / Double(length - 1)
            let window = 0.42 - 0.5 * cos(2 * Double.pi * t) + 0.08 * cos(4 * Double.pi * t)
            return sinc * window
        }
        // Each phase sums to 1, so a steady signal keeps its level.
        let sums = (0..<phases).map { phase in (0..<tapsPerPhase).map { taps[phase + $0 * phases] }.reduce(0, +) }
        return (0..<tapsPerPhase).map { back in
            SIMD4<Float>((0..<phases).map { phase in Float(taps[phase + back * phases] / sums[phase]) })
        }
    }()
    /// The most any phase can amplify a signal bounded by 1.
    static let largestGain: Float = {
        var gains = SIMD4<Float>(repeating: 0)
        for taps in tapsBack { gains += pointwiseMax(taps, -taps) }
        return gains.max()
    }()
    /// Samples kept from one block to the next: the filter reaches this far back.
    static let historyLength = 15
    /// Frames checked, and filtered or skipped, together.
    static let runLength = 64

    private let channels: Int
    /// Per channel, the last `historyLength` samples of the previous block.
    private var history: [[Float]]
    /// One channel's history and run, filtered together.
    private var scratch = [Float](repeating: 0, count: TruePeakAnalyzer.historyLength + TruePeakAnalyzer.runLength)
    private var truePeak: Float = 0
    private var samplePeak: Float = 0

    public init(format: StreamFormat) {
        channels = max(format.channels, 1)
        history = Array(repeating: [Float](repeating: 0, count: Self.historyLength), count: channels)
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        let channels = channels, runLength = Self.runLength, historyLength = Self.historyLength
        var peak = truePeak
        var sampled = samplePeak
        // Out of the class for the loops (no exclusivity checks), put back after.
        var scratch: [Float] = []
        swap(&scratch, &self.scratch)
        defer { swap(&scratch, &self.scratch) }
        var run = 0
        while run * runLength < frames {
            let start = run * runLength, end = min(frames, start + runLength)
            let runPeak = Self.magnitudePeak(UnsafeBufferPointer(rebasing: samples[(start * channels)..<(end * channels)]))
            sampled = Swift.max(sampled, runPeak)
            if runPeak * Self.largestGain > Swift.max(peak, sampled) {
                for channel in 0..<channels {
                    // History then the run, for this channel.
                    for back in 0..<historyLength {
                        let frame = start - historyLength + back
                        scratch[back] = frame >= 0 ? samples[frame * channels + channel] : history[channel][historyLength + frame]
                    }
                    for frame in start..<end { scratch[historyLength + frame - start] = samples[frame * channels + channel] }
                    peak = Swift.max(peak, Self.peak(of: scratch, from: 0, count: end - start))
                }
            }
            run += 1
        }
        // The newest samples become the next block's history.
        for channel in 0..<channels {
            if frames >= historyLength {
                for index in 0..<historyLength { history[channel][index] = samples[(frames - historyLength + index) * channels + channel] }
            } else {
                let kept = history[channel].suffix(historyLength - frames)
                history[channel] = Array(kept) + (0..<frames).map { samples[$0 * channels + channel] }
            }
        }
        truePeak = peak
        samplePeak = sampled
    }

    /// The largest magnitude in `values`, eight at a time.
    static func magnitudePeak(_ values: UnsafeBufferPointer<Float>) -> Float {
        guard let base = values.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var peaks = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= values.count {
            let vector = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            let magnitudes = vector.replacing(with: -vector, where: vector .< 0)
            peaks = peaks.replacing(with: magnitudes, where: magnitudes .> peaks)
            index += 8
        }
        var peak = peaks.max()
        while index < values.count {
            peak = max(peak, abs(values[index]))
            index += 1
        }
        return peak
    }

    /// Phase `p`'s tap for the sample `k` frames back, at `[p * tapsPerPhase + k]`.
    static let phaseTaps: [Float] = (0..<phases).flatMap { phase in tapsBack.map { $0[phase] } }

    /// The largest interpolated magnitude for the `count` newest samples of `line`
    /// (each with the `historyLength` samples before it).
    private static func peak(of line: [Float], from first: Int, count: Int) -> Float {
        let start = first + historyLength, end = start + count
        var peaks = SIMD8<Float>(repeating: 0)
        var n = start
        line.withUnsafeBufferPointer { buffer in
            phaseTaps.withUnsafeBufferPointer { taps in
                guard buffer.count >= end, let x = buffer.baseAddress, let h = taps.baseAddress else { return }
                let raw = UnsafeRawPointer(x)
                // Eight outputs of one phase at a time: a vector of samples times one tap.
                while n + 8 <= end {
                    for phase in 0..<phases {
                        var outputs = SIMD8<Float>(repeating: 0)
                        for back in 0..<tapsPerPhase {
                            let samples = raw.loadUnaligned(fromByteOffset: (n - back) * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
                            outputs += samples * h[phase * tapsPerPhase + back]
                        }
                        // Not pointwiseMax: the generic was left as a call in the hottest loop.
                        let magnitudes = outputs.replacing(with: -outputs, where: outputs .< 0)
                        peaks = peaks.replacing(with: magnitudes, where: magnitudes .> peaks)
                    }
                    n += 8
                }
            }
        }
        var peak = peaks.max()
        // The last few outputs, one at a time.
        let taps = tapsBack
        line.withUnsafeBufferPointer { buffer in
            guard buffer.count >= end else { return }
            while n < end {
                var outputs = SIMD4<Float>(repeating: 0)
                for back in 0..<tapsPerPhase { outputs += taps[back] * buffer[n - back] }
                peak = max(peak, pointwiseMax(outputs, -outputs).max())
                n += 1
            }
        }
        return peak
    }

    public func finish(into result: inout AudioAnalysis) {
        // The filter's delay holds the last samples back: flush them with silence.
        for channel in 0..<channels {
            let line = history[channel] + [Float](repeating: 0, count: Self.tapsPerPhase)
            truePeak = max(truePeak, Self.peak(of: line, from: 0, count: Self.tapsPerPhase))
        }
        // As libebur128 reports it: never below the sample peak.
        let peak = max(truePeak, samplePeak)
        result.truePeakDb = peak > 0 ? 20 * log10(Double(peak)) : nil
    }
}
