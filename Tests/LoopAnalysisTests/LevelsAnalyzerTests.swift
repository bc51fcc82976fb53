import Foundation
import LoopAnalysis
import LoopCore
import Testing

@Suite struct LevelsAnalyzerTests {
    /// The peak's position is found in whichever block holds it, for any channel, and the
    /// first of two equal peaks wins.
    @Test(arguments: [1, 2, 3])
    func thePeakIsFoundWhereItIs(channels: Int) {
        let frames = 50_000, peakFrame = 31_337
        var samples = WaveformAnalyzerTests.noise(count: frames * channels).map { $0 * 0.25 }
        samples[peakFrame * channels + channels - 1] = -0.9
        samples[(peakFrame + 5_000) * channels] = 0.9
        let audio = WaveformAnalyzerTests.analyse(samples, channels: channels, with: LevelsAnalyzer.self)
        #expect(audio.peakPosition == Double(peakFrame) / 44100)
        #expect(abs((audio.peakDb ?? 0) - 20 * log10(0.9)) < 1e-5)
    }

    @Test func silenceHasNoPeak() {
        let audio = WaveformAnalyzerTests.analyse([Float](repeating: 0, count: 4096), channels: 2, with: LevelsAnalyzer.self)
        #expect(audio.peakPosition == nil && audio.peakDb == nil)
    }
}
