import Foundation

/// EBU R128 / ITU-R BS.1770-4 loudness of a stream: integrated loudness
/// (400 ms blocks every 100 ms, gated at -70 LUFS and 10 LU below their
/// mean), loudness range (EBU Tech 3342: 3 s blocks every second, gated at
/// -70 LUFS and 20 LU below, the 10th to 95th percentile) and the ungated
/// loudness of the whole stream.
///
/// It keeps what libebur128 keeps (per 100 ms, the channel-weighted sum of
/// squares of the K-weighted samples) and applies its arithmetic, block
/// timing, gates and percentile rounding, so the two agree to a hundredth of
/// a LU; the tests hold it to libebur128 on many signals.
struct LoudnessMeter {
    let sampleRate: Int
    /// Frames in 100 ms, rounded as libebur128 rounds them.
    let sliceFrames: Int
    /// BS.1770's channel weights for the usual channel orders (L, R, C, LFE, Ls, Rs): 0 for LFE and unknowns.
    let weights: [Double]
    private var filters: [KWeightingFilter]
    private var framesInSlice = 0
    private var sliceSum = 0.0
    /// The weighted sum of squares of every complete 100 ms slice.
    private(set) var slices: [Double] = []
    /// Every frame's, including an incomplete last slice.
    private(set) var totalSum = 0.0
    private(set) var frames = 0

    static let absoluteGate = pow(10.0, (-70.0 + 0.691) / 10.0)

    init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        sliceFrames = (sampleRate + 5) / 10
        weights = Self.weights(channels: channels)
        // Stereo's two channels share one filter, a lane each.
        filters = Array(repeating: KWeightingFilter(sampleRate: sampleRate), count: channels == 2 ? 1 : channels)
    }

    /// libebur128's default channel map.
    static func weights(channels: Int) -> [Double] {
        switch channels {
        case 4: return [1, 1, 1.41, 1.41]
        case 5: return [1, 1, 1, 1.41, 1.41]
        default:
            let usual: [Double] = [1, 1, 1, 0, 1.41, 1.41]
            return (0..<channels).map { $0 < usual.count ? usual[$0] : 0 }
        }
    }

    mutating func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        guard let base = samples.baseAddress, frames > 0 else { return }
        let channels = weights.count
        var done = 0
        while done < frames {
            let count = min(frames - done, sliceFrames - framesInSlice)
            var sum = 0.0
            if channels == 2 {
                // Both channels weigh 1: one filter runs them side by side.
                sum = filters[0].sumsOfSquares(pairs: base + done * 2, count: count, stride: 2).sum()
            } else {
                for channel in 0..<channels where weights[channel] > 0 {
                    sum += weights[channel] * filters[channel].sumOfSquares(base + done * channels + channel, count: count, stride: channels)
                }
            }
            sliceSum += sum
            totalSum += sum
            framesInSlice += count
            done += count
            if framesInSlice == sliceFrames {
                slices.append(sliceSum)
                sliceSum = 0
                framesInSlice = 0
            }
        }
        self.frames += frames
    }

    /// Mean energies of `length` slices ending every `step` slices, the first ending at slice `length`.
    private func blockEnergies(length: Int, step: Int) -> [Double] {
        guard slices.count >= length else { return [] }
        var energies: [Double] = []
        var end = length
        while end <= slices.count {
            var sum = 0.0
            for index in (end - length)..<end { sum += slices[index] }
            energies.append(sum / Double(length * sliceFrames))
            end += step
        }
        return energies
    }

    static func loudness(ofEnergy energy: Double) -> Double {
        10 * (log(energy) / log(10.0)) - 0.691
    }

    /// Integrated loudness in LUFS; -infinity when no block passes the gates.
    var integratedLoudness: Double {
        let blocks = blockEnergies(length: 4, step: 1).filter { $0 >= Self.absoluteGate }
        guard !blocks.isEmpty else { return -.infinity }
        let relativeGate = blocks.reduce(0, +) / Double(blocks.count) * pow(10.0, -10.0 / 10.0)
        let gated = blocks.filter { $0 >= relativeGate }
        guard !gated.isEmpty else { return -.infinity }
        return Self.loudness(ofEnergy: gated.reduce(0, +) / Double(gated.count))
    }

    /// Loudness range in LU; 0 when no 3 s block passes the gates.
    var loudnessRange: Double {
        let blocks = blockEnergies(length: 30, step: 10).filter { $0 >= Self.absoluteGate }.sorted()
        guard !blocks.isEmpty else { return 0 }
        let relativeGate = blocks.reduce(0, +) / Double(blocks.count) * pow(10.0, -20.0 / 10.0)
        let gated = blocks.drop { $0 < relativeGate }
        guard !gated.isEmpty else { return 0 }
        let low = gated[gated.startIndex + Int(Double(gated.count - 1) * 0.1 + 0.5)]
        let high = gated[gated.startIndex + Int(Double(gated.count - 1) * 0.95 + 0.5)]
        return Self.loudness(ofEnergy: high) - Self.loudness(ofEnergy: low)
    }

    /// Ungated loudness of the whole stream over `milliseconds` (at least its length), as libebur128's
    /// `ebur128_loudness_window` gives it for a stream no longer than its 3 s window: the time after the
    /// stream counts as silence.
    func wholeLoudness(milliseconds: Int) -> Double {
        let intervalFrames = sampleRate * milliseconds / 1000
        guard intervalFrames >= frames, intervalFrames > 0, totalSum > 0 else { return -.infinity }
        return Self.loudness(ofEnergy: totalSum / Double(intervalFrames))
    }
}
