import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// Key and root note on generated audio with known answers, named without hints.
@Suite struct KeyAccuracyTests {
    let folder = TemporaryDirectory("key")
    let analyzer = FileAnalyzer()

    func analyse(_ samples: [Float], kind: AudioFileKind, sampleRate: Int, name: String) throws -> AudioAnalysis {
        let path = folder.file(name + "." + kind.fileExtension)
        try SignalWriter.write(path: path, kind: kind, interleaved: samples, sampleRate: sampleRate)
        return try #require(analyzer.analyze(path: path).audio)
    }

    @Test func tonalLoopsGetTheirKey() throws {
        var exact = 0, total = 0
        var misses: [String] = []
        let kinds: [AudioFileKind] = [.wav16, .flac16, .ogg, .aiff24, .wavFloat]
        for index in 0..<36 {
            let root = 45 + index % 12, minor = index % 3 != 0
            let pattern: LoopPattern = index % 2 == 0 ? .chords(root: root, minor: minor) : .arpeggio(root: root)
            let expected = MusicalKey(pitchClass: root % 12, isMinor: index % 2 == 0 ? minor : true)
            let bpm = 84 + Double(index * 5 % 80)
            let rate = [44100, 48000, 22050][index % 3]
            let audio = try analyse(pattern.render(bpm: bpm, beats: 16, sampleRate: rate, seed: UInt64(index + 1)), kind: kinds[index % kinds.count], sampleRate: rate, name: "tonal\(index)")
            total += 1
            if audio.audioKey == expected.name { exact += 1 } else { misses.append("\(pattern) \(expected.name): \(audio.audioKey ?? "none") \(audio.audioKeyStrength.map { String(format: "%.2f", $0) } ?? "")") }
        }
        print("Key: exact \(exact)/\(total) on tonal loops")
        for miss in misses { print("  miss: \(miss)") }
        #expect(Double(exact) >= 0.8 * Double(total), "\(exact)/\(total)")
    }

    @Test func drumLoopsAndNoiseHaveNoKey() throws {
        var keyless = 0, total = 0
        var misses: [String] = []
        let patterns: [LoopPattern] = [.drums, .house, .boomBap]
        for index in 0..<18 {
            let pattern = patterns[index % 3]
            let audio = try analyse(pattern.render(bpm: 90 + Double(index * 4), beats: 8, sampleRate: 44100, seed: UInt64(index + 1)), kind: index % 2 == 0 ? .wav16 : .flac16, sampleRate: 44100, name: "drums\(index)")
            total += 1
            if audio.audioKey == nil { keyless += 1 } else { misses.append("\(pattern): \(audio.audioKey ?? "") \(audio.audioKeyStrength ?? 0)") }
        }
        for seed in 1...6 {
            let audio = try analyse(LoopPattern.OneShot.noiseBurst.render(sampleRate: 44100, seed: UInt64(seed)), kind: .wav16, sampleRate: 44100, name: "noise\(seed)")
            total += 1
            if audio.audioKey == nil && audio.rootNote == nil { keyless += 1 } else { misses.append("noise: \(audio.audioKey ?? audio.rootNote ?? "")") }
        }
        print("Key: none on \(keyless)/\(total) drum loops and noise")
        for miss in misses { print("  miss: \(miss)") }
        #expect(Double(keyless) >= 0.9 * Double(total), "\(keyless)/\(total)")
    }

    @Test func tonalOneShotsGetARootNote() throws {
        var right = 0, total = 0
        var misses: [String] = []
        for seed in 1...12 {
            for shot in [LoopPattern.OneShot.bassNote, .stab] {
                let base = shot == .bassNote ? 36 : 60
                let expected = MusicalKey.noteName(pitchClass: base + Int(UInt64(seed) % 12))
                let audio = try analyse(shot.render(sampleRate: 44100, seed: UInt64(seed)), kind: seed % 2 == 0 ? .wav16 : .ogg, sampleRate: 44100, name: "\(shot)\(seed)")
                total += 1
                if audio.rootNote == expected && audio.audioKey == nil { right += 1 } else { misses.append("\(shot) \(expected): \(audio.rootNote ?? "none") key \(audio.audioKey ?? "-")") }
            }
        }
        print("Key: root note right on \(right)/\(total) tonal one-shots")
        for miss in misses { print("  miss: \(miss)") }
        #expect(Double(right) >= 0.9 * Double(total), "\(right)/\(total)")
    }
}
