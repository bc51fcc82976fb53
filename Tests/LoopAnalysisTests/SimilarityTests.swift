import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// The similarity vector on generated sounds: alike sounds are nearest
/// neighbours, loudness and sample rate hardly move a vector.
@Suite struct SimilarityTests {
    let folder = TemporaryDirectory("similar")
    let analyzer = FileAnalyzer()

    func vector(_ samples: [Float], rate: Int = 44100, kind: AudioFileKind = .wav24, name: String) throws -> SimilarityVector {
        let path = folder.file(name + "." + kind.fileExtension)
        try SignalWriter.write(path: path, kind: kind, interleaved: samples, sampleRate: rate)
        return try #require(analyzer.analyze(path: path).audio?.similarity, "\(name) has a vector")
    }

    @Test func eachSoundsNearestNeighbourIsOfItsKind() throws {
        var sounds: [(kind: String, vector: SimilarityVector)] = []
        for seed: UInt64 in [1, 2, 4, 6] {
            for shot in [LoopPattern.OneShot.snare, .hat, .bassNote, .stab, .noiseBurst] {
                sounds.append(("\(shot)", try vector(shot.render(sampleRate: 44100, seed: seed), name: "\(shot)-\(seed)")))
            }
        }
        for (index, rate) in [44100, 48000, 22050, 96000].enumerated() {
            sounds.append(("kick", try vector(LoopPattern.OneShot.kick.render(sampleRate: rate, seed: 1), rate: rate, name: "kick-\(index)")))
        }
        for (index, bpm) in [120.0, 124, 128, 132].enumerated() {
            sounds.append(("drums", try vector(LoopPattern.drums.render(bpm: bpm, beats: 8, sampleRate: 44100, seed: UInt64(index)), name: "drums-\(index)")))
        }
        let space = SimilaritySpace(sounds.map(\.vector))
        var misplaced: [String] = []
        for (index, sound) in sounds.enumerated() {
            let nearest = sounds.indices.filter { $0 != index }.min { space.distance(sound.vector, sounds[$0].vector) < space.distance(sound.vector, sounds[$1].vector) }
            if let nearest, sounds[nearest].kind != sound.kind { misplaced.append("\(sound.kind) #\(index) -> \(sounds[nearest].kind)") }
        }
        #expect(misplaced.isEmpty, "nearest neighbours of another kind: \(misplaced)")
    }

    @Test func aQuieterCopyKeepsItsVector() throws {
        let stab = LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 2)
        let loud = try vector(stab, name: "loud")
        let quiet = try vector(stab.map { $0 * 0.25 }, name: "quiet")
        let other = try vector(LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 7), name: "other-note")
        let hat = try vector(LoopPattern.OneShot.hat.render(sampleRate: 44100, seed: 2), name: "hat")
        let space = SimilaritySpace([loud, quiet, other, hat])
        #expect(space.distance(loud, quiet) < 0.2 * space.distance(loud, other))
        #expect(space.distance(loud, other) < space.distance(loud, hat))
    }

    @Test func silenceHasNoVector() throws {
        let path = folder.file("silence.wav")
        try SignalWriter.write(path: path, kind: .wav16, interleaved: [Float](repeating: 0, count: 44100), sampleRate: 44100)
        let audio = try #require(analyzer.analyze(path: path).audio)
        #expect(audio.similarity == nil)
        #expect(audio.analyzerVersions["similarity"] == SimilarityAnalyzer.version)
    }
}
