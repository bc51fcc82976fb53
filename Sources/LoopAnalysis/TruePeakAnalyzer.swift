import Foundation

/// True peak (ITU-R BS.1770-4, Annex 2): the peak of the signal 4x
/// oversampled, which finds the peaks a DAC makes between samples.
///
/// The interpolator is a 48-tap windowed sinc in four 12-tap phases, run
/// with SIMD. Most blocks never reach it: a block whose sample peak, times
/// the most any phase can amplify, cannot beat the true peak found so far is
/// skipped (only its last samples are kept as filter history).
public final class TruePeakAnalyzer: BlockAnalyzer {
    public static let name = "truepeak"
    public static let version = 1

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

    private let channels: Int
    /// Per channel: `historyLength` samples of history, then the current block.
    private var lines: [[Float]]
    private var truePeak: Float = 0

    public init(format: StreamFormat) {
        channels = max(format.channels, 1)
        lines = Array(repeating: [Float](repeating: 0, count: Self.historyLength), count: channels)
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        var blockPeak: Float = 0
        for value in samples { blockPeak = max(blockPeak, abs(value)) }
        // A block that cannot beat the peak found so far only feeds the history.
        let worthFiltering = blockPeak * Self.largestGain > truePeak
        let channels = channels, history = Self.historyLength
        let first = worthFiltering ? 0 : max(0, frames - history)
        var peak = truePeak
        for channel in 0..<channels {
            // Taken out of the class (no copy, no exclusivity checks in the loops) and put back;
            // the buffer keeps its capacity from block to block, so nothing is allocated.
            var line: [Float] = []
            swap(&line, &lines[channel])
            line.removeSubrange(history...)
            for frame in first..<frames { line.append(samples[frame * channels + channel]) }
            if worthFiltering { peak = max(peak, Self.peak(of: line, from: 0, count: frames)) }
            // The newest samples become the next block's history (copying forward is safe).
            let count = line.count
            for index in 0..<history { line[index] = line[count - history + index] }
            swap(&line, &lines[channel])
        }
        truePeak = peak
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
                        peaks = pointwiseMax(peaks, pointwiseMax(outputs, -outputs))
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
            let line = Array(lines[channel].prefix(Self.historyLength)) + [Float](repeating: 0, count: Self.tapsPerPhase)
            truePeak = max(truePeak, Self.peak(of: line, from: 0, count: Self.tapsPerPhase))
        }
        result.truePeakDb = truePeak > 0 ? 20 * log10(Double(truePeak)) : nil
    }
}
