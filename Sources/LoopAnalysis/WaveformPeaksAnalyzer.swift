import LoopCore

/// Per-channel min/max peaks at 256 frames per pixel: the finest level of
/// the waveform pyramid, from which coarser levels are derived on request.
public final class WaveformPeaksAnalyzer: BlockAnalyzer {
    public static let name = "peaks"
    public static let version = 1
    public static let samplesPerPixel = 256

    private let channels: Int
    private let sampleRate: Int
    private var values: [Int16] = []
    private var low: [Float]
    private var high: [Float]
    private var framesInPixel = 0

    public init(format: StreamFormat) {
        channels = max(1, format.channels)
        sampleRate = format.sampleRate
        low = [Float](repeating: .infinity, count: channels)
        high = [Float](repeating: -.infinity, count: channels)
        let expected = Int(max(0, min(format.declaredFrames, 1 << 28))) / Self.samplesPerPixel + 1
        values.reserveCapacity(expected * 2 * channels)
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        var frame = 0
        while frame < frames {
            let count = min(frames - frame, Self.samplesPerPixel - framesInPixel)
            widen(UnsafeBufferPointer(rebasing: samples[(frame * channels)..<((frame + count) * channels)]))
            framesInPixel += count
            frame += count
            if framesInPixel == Self.samplesPerPixel {
                for channel in 0..<channels {
                    values.append(Self.int16(low[channel]))
                    values.append(Self.int16(high[channel]))
                }
                low = low.map { _ in .infinity }
                high = high.map { _ in -.infinity }
                framesInPixel = 0
            }
        }
    }

    /// Widens each channel's range by whole frames of interleaved samples; eight at a time
    /// when the channels divide eight (lane `l` then always holds channel `l % channels`).
    private func widen(_ samples: UnsafeBufferPointer<Float>) {
        let channels = channels
        var index = 0
        low.withUnsafeMutableBufferPointer { low in
            high.withUnsafeMutableBufferPointer { high in
                if 8 % channels == 0 {
                    let (lows, highs, scanned) = LaneScan.ranges(samples)
                    for lane in 0..<8 {
                        low[lane % channels] = min(low[lane % channels], lows[lane])
                        high[lane % channels] = max(high[lane % channels], highs[lane])
                    }
                    index = scanned
                }
                while index < samples.count {
                    let value = samples[index], channel = index % channels
                    if value < low[channel] { low[channel] = value }
                    if value > high[channel] { high[channel] = value }
                    index += 1
                }
            }
        }
    }

    public func finish(into result: inout AudioAnalysis) {
        if framesInPixel > 0 {
            for channel in 0..<channels {
                values.append(Self.int16(low[channel]))
                values.append(Self.int16(high[channel]))
            }
        }
        result.peaks = WaveformPeaks(samplesPerPixel: Self.samplesPerPixel, sampleRate: sampleRate, channels: channels, values: values)
    }

    static func int16(_ value: Float) -> Int16 {
        Int16(max(-32768, min(32767, (value * 32768).rounded())))
    }
}
