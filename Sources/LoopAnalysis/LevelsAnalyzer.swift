import Foundation

/// Sample peak and RMS over all channels, in dBFS.
public final class LevelsAnalyzer: BlockAnalyzer {
    public static let name = "levels"
    public static let version = 1

    private var peak: Float = 0
    private var sumOfSquares: Double = 0
    private var sampleCount: Int = 0

    public init(format: StreamFormat) {}

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        var blockPeak: Float = 0
        var blockSum: Float = 0
        for value in samples {
            blockPeak = max(blockPeak, abs(value))
            blockSum += value * value
        }
        peak = max(peak, blockPeak)
        // Summing each block in Float and the blocks in Double keeps precision and speed.
        sumOfSquares += Double(blockSum)
        sampleCount += samples.count
    }

    public func finish(into result: inout AudioAnalysis) {
        result.peakDb = peak > 0 ? 20 * log10(Double(peak)) : nil
        if sampleCount > 0, sumOfSquares > 0 {
            result.rmsDb = 10 * log10(sumOfSquares / Double(sampleCount))
        } else {
            result.rmsDb = nil
        }
    }
}
