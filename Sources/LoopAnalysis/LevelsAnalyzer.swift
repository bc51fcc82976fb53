import Foundation
import LoopCore

/// Sample peak and where it is, RMS, DC offset, clipped samples and leading and trailing
/// silence, over all channels.
public final class LevelsAnalyzer: BlockAnalyzer {
    public static let name = "levels"
    public static let version = 3

    /// Below -60 dBFS counts as silence.
    static let silenceThreshold: Float = 0.001
    /// A sample at the largest 16-bit value or beyond is clipped (float files can exceed 1).
    static let clipThreshold: Float = 32767 / 32768

    private let channels: Int
    private let sampleRate: Int
    private var peak: Float = 0
    private var peakFrame = 0
    private var sumOfSquares: Double = 0
    private var sum: Double = 0
    private var sampleCount = 0
    private var clipped = 0
    private var framesSeen = 0
    private var firstLoudFrame: Int?
    private var lastLoudFrame: Int?

    public init(format: StreamFormat) {
        channels = max(format.channels, 1)
        sampleRate = format.sampleRate
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        let (blockPeak, blockSquares, blockSum, blockClipped) = Self.blockLevels(samples)
        if blockPeak > Self.silenceThreshold {
            if firstLoudFrame == nil, let first = loudFrames(samples, frames: frames, from: .first) { firstLoudFrame = framesSeen + first }
            if let last = loudFrames(samples, frames: frames, from: .last) { lastLoudFrame = framesSeen + last }
        }
        if blockPeak > peak {
            peak = blockPeak
            // Only a block with a new peak is searched for it: after the first blocks, rarely.
            let sample = samples.firstIndex { abs($0) == blockPeak } ?? 0
            peakFrame = framesSeen + sample / channels
        }
        // Summing each block in Float and the blocks in Double keeps precision and speed.
        sumOfSquares += Double(blockSquares)
        sum += Double(blockSum)
        sampleCount += samples.count
        clipped += blockClipped
        framesSeen += frames
    }

    /// Peak magnitude, sum of squares, sum and clipped count of a block, eight samples at a
    /// time: one running sum would make every addition wait for the one before.
    static func blockLevels(_ samples: UnsafeBufferPointer<Float>) -> (peak: Float, squares: Float, sum: Float, clipped: Int) {
        guard let base = samples.baseAddress else { return (0, 0, 0, 0) }
        let raw = UnsafeRawPointer(base)
        var peaks = SIMD8<Float>(), squares = SIMD8<Float>(), sums = SIMD8<Float>(), clipped = SIMD8<Int32>()
        let clip = SIMD8<Float>(repeating: clipThreshold)
        var index = 0
        while index + 8 <= samples.count {
            let values = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            let magnitudes = values.replacing(with: -values, where: values .< 0)
            peaks = peaks.replacing(with: magnitudes, where: magnitudes .> peaks)
            squares += values * values
            sums += values
            clipped &+= SIMD8<Int32>(repeating: 0).replacing(with: 1, where: magnitudes .>= clip)
            index += 8
        }
        var peak = peaks.max(), squareSum = squares.sum(), sum = sums.sum(), clippedCount = Int(clipped.wrappedSum())
        while index < samples.count {
            let value = samples[index], magnitude = abs(value)
            peak = max(peak, magnitude)
            squareSum += value * value
            sum += value
            if magnitude >= clipThreshold { clippedCount += 1 }
            index += 1
        }
        return (peak, squareSum, sum, clippedCount)
    }

    private enum End { case first, last }

    /// The first or last frame of the block with a sample above the silence threshold.
    private func loudFrames(_ samples: UnsafeBufferPointer<Float>, frames: Int, from end: End) -> Int? {
        func isLoud(_ frame: Int) -> Bool {
            (0..<channels).contains { abs(samples[frame * channels + $0]) > Self.silenceThreshold }
        }
        switch end {
        case .first: return (0..<frames).first(where: isLoud)
        case .last: return (0..<frames).last(where: isLoud)
        }
    }

    public func finish(into result: inout AudioAnalysis) {
        result.peakDb = peak > 0 ? 20 * log10(Double(peak)) : nil
        result.peakPosition = peak > 0 ? Double(peakFrame) / Double(max(sampleRate, 1)) : nil
        result.rmsDb = sampleCount > 0 && sumOfSquares > 0 ? 10 * log10(sumOfSquares / Double(sampleCount)) : nil
        result.dcOffset = sampleCount > 0 ? sum / Double(sampleCount) : nil
        result.clippedSamples = clipped
        let rate = Double(max(sampleRate, 1))
        if let firstLoudFrame, let lastLoudFrame {
            result.leadingSilence = Double(firstLoudFrame) / rate
            result.trailingSilence = Double(framesSeen - lastLoudFrame - 1) / rate
        } else {
            // All silence: it is all leading, none trailing.
            result.leadingSilence = Double(framesSeen) / rate
            result.trailingSilence = 0
        }
    }
}
