import LoopCore

/// A min/max overview of at most `maxPoints` points, mixed across channels.
///
/// It gathers fine buckets of `fineSamplesPerPoint` frames while decoding
/// (the total length is not trusted until the end: MP3 headers estimate it)
/// and merges them into the overview at `finish`.
public final class WaveformOverviewAnalyzer: BlockAnalyzer {
    public static let name = "waveform"
    public static let version = 1
    public static let maxPoints = 1000
    static let fineSamplesPerPoint = 256

    private let channels: Int
    private let sampleRate: Int
    private var fineMinimums: [Float] = []
    private var fineMaximums: [Float] = []
    private var bucketMin: Float = .infinity
    private var bucketMax: Float = -.infinity
    private var framesInBucket = 0

    public init(format: StreamFormat) {
        channels = max(1, format.channels)
        sampleRate = format.sampleRate
        let expected = Int(max(0, format.declaredFrames)) / Self.fineSamplesPerPoint + 1
        fineMinimums.reserveCapacity(min(expected, 1 << 20))
        fineMaximums.reserveCapacity(min(expected, 1 << 20))
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        var frame = 0
        while frame < frames {
            let count = min(frames - frame, Self.fineSamplesPerPoint - framesInBucket)
            let (low, high) = Self.range(UnsafeBufferPointer(rebasing: samples[(frame * channels)..<((frame + count) * channels)]))
            bucketMin = min(bucketMin, low)
            bucketMax = max(bucketMax, high)
            framesInBucket += count
            frame += count
            if framesInBucket == Self.fineSamplesPerPoint { closeBucket() }
        }
    }

    /// The smallest and largest of `samples`, eight at a time (NaNs are passed over).
    static func range(_ samples: UnsafeBufferPointer<Float>) -> (low: Float, high: Float) {
        let (lows, highs, scanned) = LaneScan.ranges(samples)
        var low = lows.min(), high = highs.max()
        var index = scanned
        while index < samples.count {
            if samples[index] < low { low = samples[index] }
            if samples[index] > high { high = samples[index] }
            index += 1
        }
        return (low, high)
    }

    public func finish(into result: inout AudioAnalysis) {
        if framesInBucket > 0 { closeBucket() }
        let fineCount = fineMinimums.count
        let group = max(1, (fineCount + Self.maxPoints - 1) / Self.maxPoints)
        var minimums: [Int16] = [], maximums: [Int16] = []
        minimums.reserveCapacity(fineCount / group + 1)
        maximums.reserveCapacity(fineCount / group + 1)
        var start = 0
        while start < fineCount {
            let end = min(start + group, fineCount)
            var low: Float = .infinity, high: Float = -.infinity
            for i in start..<end {
                low = min(low, fineMinimums[i])
                high = max(high, fineMaximums[i])
            }
            minimums.append(Self.int16(low))
            maximums.append(Self.int16(high))
            start = end
        }
        result.waveform = Waveform(
            samplesPerPoint: group * Self.fineSamplesPerPoint, sampleRate: sampleRate,
            minimums: minimums, maximums: maximums
        )
    }

    private func closeBucket() {
        fineMinimums.append(bucketMin)
        fineMaximums.append(bucketMax)
        bucketMin = .infinity
        bucketMax = -.infinity
        framesInBucket = 0
    }

    private static func int16(_ value: Float) -> Int16 {
        let scaled = (value * 32767).rounded()
        if scaled.isNaN { return 0 }
        return Int16(max(-32768, min(32767, scaled)))
    }
}
