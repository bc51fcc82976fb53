import Foundation
import LoopAnalysis
import LoopCore
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// The waveform peaks (per channel) and overview (all channels) against ranges worked out directly.
@Suite struct WaveformAnalyzerTests {
    let folder = TemporaryDirectory("peaks")

    @Test func eachChannelKeepsItsOwnPeaks() throws {
        let path = folder.file("stereo.wav")
        // Left steady at +0.5, right at -0.25, 1000 frames: four pixels of 256 (the last partial).
        let frames = 1000
        let samples = (0..<frames).flatMap { _ in [Float(0.5), Float(-0.25)] }
        try SignalWriter.write(path: path, kind: .wavFloat, interleaved: samples, sampleRate: 48000, channels: 2)
        let peaks = try #require(FileAnalyzer().analyze(path: path).audio?.peaks)
        #expect(peaks.samplesPerPixel == 256 && peaks.channels == 2 && peaks.sampleRate == 48000)
        #expect(peaks.pixelCount == 4)
        #expect(peaks.values == Array(repeating: [16384, 16384, -8192, -8192], count: 4).flatMap { $0 })
    }

    static func noise(count: Int) -> [Float] {
        var random: UInt64 = 42
        return (0..<count).map { _ -> Float in
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(random >> 11) / Double(1 << 53) * 2 - 1)
        }
    }

    /// Feeds interleaved samples in blocks that cut pixels anywhere, then finishes.
    static func analyse(_ samples: [Float], channels: Int, with type: any BlockAnalyzer.Type) -> AudioAnalysis {
        let format = StreamFormat(container: .wav, sampleRate: 44100, channels: channels, bitDepth: 32, declaredFrames: Int64(samples.count / channels), lengthIsExact: true)
        return type.analyse(samples, format: format, blockFrames: [1, 7, 300, 1000, 2048, 1644, 4096])
    }

    static func int16(_ value: Float, scale: Float) -> Int16 { Int16(max(-32768, min(32767, (value * scale).rounded()))) }

    /// Against each pixel's min and max worked out directly, for channel counts that do and do not
    /// divide the eight lanes.
    @Test(arguments: [1, 2, 3, 4, 6])
    func peaksEqualEachPixelsRange(channels: Int) {
        let frames = 5000
        let samples = Self.noise(count: frames * channels)
        var expected: [Int16] = []
        for start in stride(from: 0, to: frames, by: 256) {
            for channel in 0..<channels {
                let values = (start..<min(start + 256, frames)).map { samples[$0 * channels + channel] }
                expected += [values.min() ?? 0, values.max() ?? 0].map { Self.int16($0, scale: 32768) }
            }
        }
        #expect(Self.analyse(samples, channels: channels, with: WaveformPeaksAnalyzer.self).peaks?.values == expected)
    }

    /// The overview: each point the range of all channels over its frames (here two fine buckets of 256).
    @Test(arguments: [1, 2, 3])
    func overviewEqualsEachPointsRange(channels: Int) throws {
        let frames = 300_000
        let samples = Self.noise(count: frames * channels)
        let waveform = try #require(Self.analyse(samples, channels: channels, with: WaveformOverviewAnalyzer.self).waveform)
        #expect(waveform.samplesPerPoint == 512)
        let points = stride(from: 0, to: frames, by: 512).map { start in samples[(start * channels)..<(min(start + 512, frames) * channels)] }
        #expect(waveform.minimums == points.map { Self.int16($0.min() ?? 0, scale: 32767) })
        #expect(waveform.maximums == points.map { Self.int16($0.max() ?? 0, scale: 32767) })
    }
}
