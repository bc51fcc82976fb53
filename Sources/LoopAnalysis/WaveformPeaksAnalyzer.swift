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
        let channels = channels
        var inPixel = framesInPixel
        var index = 0
        low.withUnsafeMutableBufferPointer { low in
            high.withUnsafeMutableBufferPointer { high in
                for _ in 0..<frames {
                    for channel in 0..<channels {
                        let value = samples[index]
                        if value < low[channel] { low[channel] = value }
                        if value > high[channel] { high[channel] = value }
                        index += 1
                    }
                    inPixel += 1
                    if inPixel == Self.samplesPerPixel {
                        for channel in 0..<channels {
                            values.append(Self.int16(low[channel]))
                            values.append(Self.int16(high[channel]))
                            low[channel] = .infinity
                            high[channel] = -.infinity
                        }
                        inPixel = 0
                    }
                }
            }
        }
        framesInPixel = inPixel
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
