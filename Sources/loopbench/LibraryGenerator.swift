import Foundation
import LoopSynth

/// Writes a repeatable library of short samples: mixed formats, mono and
/// stereo, 0.2 to 8 seconds, named the way sample packs name things.
struct LibraryGenerator {
    private var state: UInt64
    private static let words = ["Kick", "Snare", "Hat", "Clap", "Perc", "Bass", "Pad", "Lead", "Vox", "FX", "Loop", "Chord"]
    private static let folders = ["Drums/Kicks", "Drums/Snares", "Drums/Hats", "Loops/Drums", "Loops/Music", "One Shots/Bass", "One Shots/Synth", "FX", "Vocals"]

    init(seed: UInt64) {
        state = seed &* 0x9E3779B97F4A7C15 | 1
    }

    struct Summary {
        var audioSeconds: Double = 0
        var bytes: Int64 = 0
    }

    mutating func generate(count: Int, into library: String) throws -> Summary {
        var summary = Summary()
        for index in 0..<count {
            let folder = library + "/" + Self.folders[Int(next() % UInt64(Self.folders.count))]
            let word = Self.words[Int(next() % UInt64(Self.words.count))]
            let tempo = 90 + Int(next() % 60)
            let written = try write(name: "\(word)_\(tempo)_\(String(format: "%04d", index))", into: folder)
            summary.audioSeconds += written.duration
            summary.bytes += written.bytes
        }
        return summary
    }

    mutating func writeOne(named name: String, into folder: String) throws {
        _ = try write(name: name, into: folder)
    }

    private mutating func write(name: String, into folder: String) throws -> (duration: Double, bytes: Int64) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let kind = AudioFileKind.allCases[Int(next() % UInt64(AudioFileKind.allCases.count))]
        let duration = 0.2 + Double(next() % 7800) / 1000
        let channels = next() % 2 == 0 ? 1 : 2
        let rate = next() % 3 == 0 ? 48000 : 44100
        let signal: TestSignal
        switch next() % 3 {
        case 0: signal = .kick(amplitude: 0.8)
        case 1: signal = .sine(frequency: 110 * Double(1 + next() % 8), amplitude: 0.5)
        default: signal = .noise(amplitude: 0.3, seed: next())
        }
        let path = folder + "/" + name + "." + kind.fileExtension
        try SignalWriter.write(path: path, kind: kind, signal: signal, duration: duration, sampleRate: rate, channels: channels)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        return (duration, size)
    }

    private mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 17
    }
}
