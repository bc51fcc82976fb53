import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// A clip cut to whole bars at an integer tempo is a loop even when it barely pulses (held chords),
/// and has that tempo; a single held note of no such length stays a one-shot.
@Suite struct LoopLengthTests {
    let folder = TemporaryDirectory("length")

    /// Chords held one after another, each `beatsPerChord` long at `bpm`, cut to the sample.
    func heldChords(_ chords: [[Double]], bpm: Double, beatsPerChord: Double, sampleRate: Int = 44100) -> [Float] {
        let chordFrames = beatsPerChord * 60 / bpm * Double(sampleRate)
        let total = Int((chordFrames * Double(chords.count)).rounded())
        return (0..<total).map { frame in
            let index = min(chords.count - 1, Int(Double(frame) / chordFrames))
            let local = (Double(frame) - Double(index) * chordFrames) / Double(sampleRate)
            let attack = min(1, local / 0.02)
            let time = Double(frame) / Double(sampleRate)
            let sum = chords[index].map { sin(2 * .pi * $0 * time) }.reduce(0, +)
            return Float(0.25 * attack * sum)
        }
    }

    func analyse(_ samples: [Float], name: String) throws -> AudioAnalysis {
        let path = folder.file(name + ".wav")
        try SignalWriter.write(path: path, kind: .wav16, interleaved: samples, sampleRate: 44100)
        return try #require(FileAnalyzer().analyze(path: path).audio)
    }

    @Test func heldChordsOfWholeBarsAreALoopAtTheTempoTheirLengthGives() throws {
        let aMinor = [220.0, 261.63, 329.63], fMajor = [174.61, 220.0, 261.63]
        // Four bars at 142: two chords of two bars each, 6.76 s; no beat to hear.
        let audio = try analyse(heldChords([aMinor, fMajor], bpm: 142, beatsPerChord: 8), name: "pads142")
        #expect(audio.audioType == .loop)
        #expect(audio.audioBpm == 142, "\(audio.audioBpm ?? 0)")
        // One bar at 160 (1.5 s), a chord per beat: short, but cut to the bar.
        let bar = try analyse(heldChords([aMinor, fMajor, aMinor, fMajor], bpm: 160, beatsPerChord: 1), name: "bar160")
        #expect(bar.audioType == .loop)
        #expect(bar.audioBpm == 160, "\(bar.audioBpm ?? 0)")
    }

    @Test func aHeldNoteOfNoLoopLengthIsAOneShot() throws {
        // 2.3 s of one chord dying away: no whole number of bars at an integer tempo.
        let frames = Int(2.3 * 44100)
        let samples = (0..<frames).map { frame -> Float in
            let time = Double(frame) / 44100
            return Float(0.5 * exp(-time * 1.5) * sin(2 * .pi * 110 * time))
        }
        let audio = try analyse(samples, name: "note")
        #expect(audio.audioType == .oneShot)
        #expect(audio.audioBpm == nil)
    }
}
