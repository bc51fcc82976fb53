import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// Valid but unusual audio, analysed in process: any sample value and any
/// declared rate must give an outcome the worker can send (JSON has no NaN),
/// never a trap.
@Suite struct HostileAudioTests {
    let folder = TemporaryDirectory("hostile-audio")
    let analyzer = FileAnalyzer()

    /// What the analysis worker does with an outcome: a failure here is the worker's exit 3.
    func encodable(_ outcome: FileAnalysisOutcome) -> Bool {
        (try? JSONEncoder().encode(outcome)) != nil
    }

    @Test(arguments: [Float.nan, -.nan, .infinity, -.infinity, 1e20, -3e38, .signalingNaN])
    func aStraySampleIsRepairedAndNoted(value: Float) throws {
        let path = folder.file("stray-\(value.bitPattern).wav")
        var samples = (0..<44100).map { Float(sin(Double($0) * 0.05) * 0.5) }
        samples[1234] = value
        try SignalWriter.write(path: path, kind: .wavFloat, interleaved: samples, sampleRate: 44100)
        let outcome = analyzer.analyze(path: path)
        #expect(encodable(outcome), "the worker can send it")
        let audio = try #require(outcome.audio, "analysed in spite of the sample")
        #expect(audio.frames == 44100)
        #expect(audio.peakDb.map { $0.isFinite } == true)
        let note = try #require(outcome.error)
        #expect(note.hasPrefix("The audio was analysed after a repair: 1 sample was"), "\(note)")
    }

    @Test func aFileOfNothingButNonFiniteValuesIsSilence() throws {
        let path = folder.file("all-nan.wav")
        let samples = (0..<20000).map { [Float.nan, .infinity, -.infinity][$0 % 3] }
        try SignalWriter.write(path: path, kind: .wavFloat, interleaved: samples, sampleRate: 8000, channels: 2)
        let outcome = analyzer.analyze(path: path)
        #expect(encodable(outcome))
        #expect(outcome.audio?.frames == 10000)
        #expect(outcome.error?.contains("20000 samples were not a number or infinite") == true, "\(outcome.error ?? "nil")")
    }

    /// Rates a WAV header may declare, from 1 Hz up; lengths from none to several seconds.
    @Test(arguments: [1, 2, 3, 7, 11, 50, 100, 152, 153, 154, 200, 400, 1000, 4000, 8000])
    func anyDeclaredRateIsAnalysed(rate: Int) throws {
        for frames in [0, 1, 5, 300, 5000] {
            for channels in [1, 2] {
                let path = folder.file("rate-\(rate)-\(frames)-\(channels).wav")
                let samples = (0..<(frames * channels)).map { Float(sin(Double($0) * 0.3)) * 0.8 }
                try SignalWriter.write(path: path, kind: .wavFloat, interleaved: samples, sampleRate: rate, channels: channels)
                let outcome = analyzer.analyze(path: path)
                #expect(encodable(outcome), "rate \(rate), \(frames) frames, \(channels) channels")
                #expect(outcome.audio?.frames == Int64(frames), "rate \(rate), \(frames) frames: \(outcome.error ?? "")")
            }
        }
    }

    /// Random values of every class (normal, tiny, huge, NaN, infinite) at random rates:
    /// a small in-process fuzz that runs with the suite; seeds make a failure repeatable.
    @Test func randomHostileSamplesAtRandomRates() throws {
        var random = SplitMix(seed: 0x5EED)
        for round in 0..<40 {
            let rate = [1, 9, 153, 1000, 8000, 22050, 44100, 96000, 192000][Int(random.next() % 9)]
            let channels = Int(random.next() % 3) + 1
            let frames = Int(random.next() % 20000)
            let samples = (0..<(frames * channels)).map { _ -> Float in
                switch random.next() % 8 {
                case 0: return Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
                case 1: return .leastNonzeroMagnitude
                case 2: return 0
                default: return Float(Int64(random.next() % 2001) - 1000) / 1000
                }
            }
            let path = folder.file("fuzz-\(round).wav")
            try SignalWriter.write(path: path, kind: .wavFloat, interleaved: samples, sampleRate: rate, channels: channels)
            let outcome = analyzer.analyze(path: path)
            #expect(encodable(outcome), "round \(round): rate \(rate), \(channels) channels, \(frames) frames")
            #expect(outcome.audio?.frames == Int64(frames), "round \(round)")
        }
    }
}
