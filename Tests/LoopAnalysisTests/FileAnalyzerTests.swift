import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

@Suite struct FileAnalyzerTests {
    let folder = TemporaryDirectory("analysis")
    let analyzer = FileAnalyzer()

    @Test(arguments: AudioFileKind.allCases)
    func readsFormatAndLength(kind: AudioFileKind) throws {
        let path = folder.file("tone.\(kind.fileExtension)")
        let channels = kind == .ogg || kind == .wav24 ? 2 : 1
        let sampleRate = kind == .flac24 ? 48000 : 44100
        try SignalWriter.write(path: path, kind: kind, signal: .sine(frequency: 440, amplitude: 0.5), duration: 1.5, sampleRate: sampleRate, channels: channels)
        let outcome = analyzer.analyze(path: path)
        #expect(outcome.error == nil)
        let audio = try #require(outcome.audio)
        #expect(audio.format.rawValue == kind.containerName)
        #expect(audio.sampleRate == sampleRate)
        #expect(audio.channels == channels)
        #expect(audio.bitDepth == kind.bitDepth)
        if kind.bitDepth != nil {
            #expect(audio.frames == Int64(1.5 * Double(sampleRate)))
        } else {
            // Lossy codecs pad to whole frames; decoders trim most but not all of it.
            #expect(abs(audio.duration - 1.5) < 0.06, "duration \(audio.duration)")
        }
    }

    @Test func levelsOfAHalfScaleSine() throws {
        let path = folder.file("sine.wav")
        try SignalWriter.write(path: path, kind: .wavFloat, signal: .sine(frequency: 441, amplitude: 0.5), duration: 1, channels: 2)
        let audio = try #require(analyzer.analyze(path: path).audio)
        // Peak of 0.5 is -6.02 dBFS; a sine's RMS is its peak over sqrt(2): -9.03 dBFS.
        #expect(abs(try #require(audio.peakDb) - -6.0206) < 0.01)
        #expect(abs(try #require(audio.rmsDb) - -9.0309) < 0.01)
        #expect(audio.analyzerVersions["levels"] == LevelsAnalyzer.version)
    }

    @Test func silenceHasNoLevels() throws {
        let path = folder.file("silence.wav")
        try SignalWriter.write(path: path, kind: .wav16, signal: .silence, duration: 0.5)
        let audio = try #require(analyzer.analyze(path: path).audio)
        #expect(audio.peakDb == nil)
        #expect(audio.rmsDb == nil)
        #expect(audio.frames == 22050)
    }

    @Test func waveformOverviewFollowsTheEnvelope() throws {
        let path = folder.file("kick.wav")
        try SignalWriter.write(path: path, kind: .wav24, signal: .kick(amplitude: 0.9), duration: 8, sampleRate: 48000)
        let waveform = try #require(analyzer.analyze(path: path).audio?.waveform)
        #expect(waveform.pointCount <= WaveformOverviewAnalyzer.maxPoints)
        #expect(waveform.pointCount * waveform.samplesPerPoint >= 8 * 48000)
        let first = Int(waveform.maximums[0]), last = Int(waveform.maximums[waveform.pointCount - 1])
        #expect(first > 20000, "attack \(first)")
        #expect(last < first / 100, "tail \(last)")
        #expect(waveform.minimums.allSatisfy { $0 <= 0 })
    }

    @Test func hashIsTheFilesSHA256() throws {
        let path = folder.file("noise.flac")
        try SignalWriter.write(path: path, kind: .flac16, signal: .noise(amplitude: 0.3, seed: 7), duration: 0.7)
        let outcome = analyzer.analyze(path: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        #expect(outcome.hash == String(expected))
    }

    @Test func nonAudioGetsAnErrorButAHash() throws {
        let path = folder.file("fake.wav")
        try Data("this is not a wave file at all".utf8).write(to: URL(fileURLWithPath: path))
        let outcome = analyzer.analyze(path: path)
        #expect(outcome.audio == nil)
        #expect(outcome.hash?.count == 64)
        let error = try #require(outcome.error)
        #expect(error.hasPrefix("The file could not be opened as audio"))
        #expect(error.hasSuffix(".") && !error.hasSuffix(".."))
    }

    @Test func truncatedFlacIsReported() throws {
        let path = folder.file("cut.flac")
        try SignalWriter.write(path: path, kind: .flac16, signal: .noise(amplitude: 0.5, seed: 3), duration: 2)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        let outcome = analyzer.analyze(path: path)
        #expect(outcome.error != nil)
        // What was decoded before the cut is kept.
        if let audio = outcome.audio { #expect(audio.frames < 88200) }
    }

    @Test func emptyFileIsAnError() throws {
        let path = folder.file("empty.wav")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let outcome = analyzer.analyze(path: path)
        #expect(outcome.error != nil)
        #expect(outcome.audio == nil)
    }

    @Test func missingFileIsAnError() {
        let outcome = analyzer.analyze(path: folder.path + "/gone.wav")
        #expect(outcome.error?.hasPrefix("The file could not be read") == true)
        #expect(outcome.hash == nil)
    }

    @Test func versionTagNamesEveryAnalyzer() {
        #expect(FileAnalyzer.versionTag.contains("levels:\(LevelsAnalyzer.version)"))
        #expect(FileAnalyzer.versionTag.contains("waveform:\(WaveformOverviewAnalyzer.version)"))
    }
}

/// Loudness and the finer levels, against values computed from the signals.
@Suite struct LoudnessAndLevelsTests {
    let folder = TemporaryDirectory("loudness")
    let analyzer = FileAnalyzer()

    /// EBU Tech 3341's first case: a stereo 1 kHz sine at -23 dBFS reads -23.0 LUFS.
    @Test(arguments: [AudioFileKind.wavFloat, .wav24, .flac16])
    func aSineAtMinus23dBFSReadsMinus23LUFS(kind: AudioFileKind) throws {
        let path = folder.file("sine.\(kind.fileExtension)")
        let amplitude = pow(10, -23.0 / 20)
        try SignalWriter.write(path: path, kind: kind, signal: .sine(frequency: 1000, amplitude: amplitude), duration: 12, sampleRate: 48000, channels: 2)
        let audio = try #require(analyzer.analyze(path: path).audio)
        let loudness = try #require(audio.loudnessLufs)
        #expect(abs(loudness - -23.0) <= 0.1, "\(loudness) LUFS")
        // A steady tone has (almost) no loudness range, and at 1 kHz its true peak is its sample peak.
        #expect(try #require(audio.loudnessRangeLu) < 0.5)
        #expect(abs(try #require(audio.truePeakDb) - -23.0) < 0.1)
        #expect(audio.clipLoudnessLufs == nil, "12 s is past the 3 s ungated clip limit")
        #expect(audio.analyzerVersions["loudness"] == LoudnessAnalyzer.version)
    }

    @Test func aClipUnder400msHasOnlyAnUngatedLoudness() throws {
        let path = folder.file("blip.wav")
        try SignalWriter.write(path: path, kind: .wavFloat, signal: .sine(frequency: 1000, amplitude: pow(10, -20.0 / 20)), duration: 0.3, sampleRate: 48000, channels: 2)
        let audio = try #require(analyzer.analyze(path: path).audio)
        #expect(audio.loudnessLufs == nil)
        #expect(audio.loudnessRangeLu == nil)
        let clip = try #require(audio.clipLoudnessLufs)
        #expect(abs(clip - -20.0) < 0.2, "\(clip) LUFS")
    }

    @Test func silenceHasNoLoudness() throws {
        let path = folder.file("quiet.wav")
        try SignalWriter.write(path: path, kind: .wav16, signal: .silence, duration: 1)
        let audio = try #require(analyzer.analyze(path: path).audio)
        #expect(audio.loudnessLufs == nil && audio.clipLoudnessLufs == nil)
    }

    /// Between samples at +-0.9 repeating every four (a quarter of the rate), the
    /// waveform peaks at 0.9 * sqrt(2), +2.1 dBTP: the sample peak misses it.
    @Test(arguments: [44100, 48000, 96000])
    func truePeakFindsPeaksBetweenSamples(sampleRate: Int) throws {
        let path = folder.file("intersample-\(sampleRate).wav")
        let pattern: [Float] = [0.9, 0.9, -0.9, -0.9]
        try SignalWriter.write(path: path, kind: .wavFloat, interleaved: Array(repeating: pattern, count: 12000).flatMap { $0 }, sampleRate: sampleRate)
        let audio = try #require(analyzer.analyze(path: path).audio)
        #expect(abs(try #require(audio.peakDb) - 20 * log10(0.9)) < 0.01)
        let truePeak = try #require(audio.truePeakDb)
        // BS.1770-4 allows true-peak meters -0.4/+0.2 dB here.
        #expect(truePeak - 20 * log10(0.9 * 2.0.squareRoot()) > -0.4 && truePeak - 20 * log10(0.9 * 2.0.squareRoot()) < 0.2, "\(truePeak) dBTP")
    }

    @Test func silenceAtTheEndsOffsetAndClipping() throws {
        let path = folder.file("framed.wav")
        let rate = 44100
        var samples = [Float](repeating: 0, count: rate / 4)                      // 0.25 s of silence
        samples += (0..<rate).map { 0.1 + 0.5 * Float(sin(2 * Double.pi * 220 * Double($0) / Double(rate))) }  // 1 s, offset by 0.1
        samples += [Float](repeating: 1, count: 100)                               // 100 clipped samples
        samples += [Float](repeating: 0.0002, count: rate / 2)                     // 0.5 s below -60 dBFS
        try SignalWriter.write(path: path, kind: .wavFloat, interleaved: samples, sampleRate: rate)
        let audio = try #require(analyzer.analyze(path: path).audio)
        #expect(abs(try #require(audio.leadingSilence) - 0.25) < 0.001)
        #expect(abs(try #require(audio.trailingSilence) - 0.5) < 0.001)
        #expect(audio.clippedSamples == 100)
        let expectedOffset = (0.1 * Double(rate) + 100 + 0.0002 * Double(rate / 2)) / Double(samples.count)
        #expect(abs(try #require(audio.dcOffset) - expectedOffset) < 1e-4)
    }
}
