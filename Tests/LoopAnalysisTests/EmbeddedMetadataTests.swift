import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// Loop info, sampler chunks and tags written into real files, read back.
@Suite struct EmbeddedMetadataTests {
    let folder = TemporaryDirectory("embedded")
    let analyzer = FileAnalyzer()
    let tone = LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 3)

    @Test func acidLoopInfoIsRead() throws {
        let path = folder.file("acid.wav")
        try SignalWriter.write(path: path, kind: .wav16, interleaved: tone, sampleRate: 44100)
        try SignalWriter.appendChunk(to: path, id: "acid", payload: SignalWriter.acidChunk(oneShot: false, rootMidiNote: 57, beats: 8, tempo: 124))
        let outcome = analyzer.analyze(path: path)
        #expect(outcome.error == nil)
        let embedded = try #require(outcome.audio?.embedded)
        #expect(embedded.tempo == 124 && embedded.beats == 8 && embedded.oneShot == false && embedded.rootMidiNote == 57)
        #expect(outcome.audio?.frames == Int64(tone.count), "the chunk after the audio is not read as audio")

        let shot = folder.file("acid-shot.wav")
        try SignalWriter.write(path: shot, kind: .wav16, interleaved: tone, sampleRate: 44100)
        try SignalWriter.appendChunk(to: shot, id: "acid", payload: SignalWriter.acidChunk(oneShot: true, rootMidiNote: nil, beats: 0, tempo: 0))
        let shotEmbedded = try #require(analyzer.analyze(path: shot).audio?.embedded)
        #expect(shotEmbedded.oneShot == true && shotEmbedded.tempo == nil)
    }

    // WAV only: an AIFF written with a sampler chunk by libsndfile read back without its note here; not relied on.
    @Test(arguments: [AudioFileKind.wav16])
    func samplerChunkGivesRootNoteAndLoop(kind: AudioFileKind) throws {
        let path = folder.file("sampler.\(kind.fileExtension)")
        try SignalWriter.write(path: path, kind: kind, interleaved: tone, sampleRate: 44100, tags: .init(rootMidiNote: 62, loop: 1000...20000))
        let embedded = try #require(analyzer.analyze(path: path).audio?.embedded)
        #expect(embedded.rootMidiNote == 62)
        #expect(embedded.loopPoints == [1000...20000])
    }

    @Test(arguments: [AudioFileKind.wav16, .flac16, .ogg])
    func tagsAreRead(kind: AudioFileKind) throws {
        let path = folder.file("tagged.\(kind.fileExtension)")
        try SignalWriter.write(path: path, kind: kind, interleaved: tone, sampleRate: 44100, tags: .init(title: "Deep Stab", artist: "Someone", genre: "House", comment: "Ré mineur"))
        let embedded = try #require(analyzer.analyze(path: path).audio?.embedded)
        #expect(embedded.title == "Deep Stab" && embedded.artist == "Someone" && embedded.genre == "House" && embedded.comment == "Ré mineur")
    }

    @Test func plainFilesHaveNoEmbeddedMetadata() throws {
        let path = folder.file("plain.wav")
        try SignalWriter.write(path: path, kind: .wav16, interleaved: tone, sampleRate: 44100)
        #expect(try #require(analyzer.analyze(path: path).audio?.embedded).isEmpty)
    }
}

@Suite struct WaveformPeaksAnalyzerTests {
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
}
