import ArgumentParser
import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport

/// A labelled set of generated loops, analysed by loopd's analyzers, written
/// with a manifest so another tool can be run on the same files and compared
/// (`essentia-compare.py` beside this file does that for Essentia).
struct AccuracySet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Tempo and key accuracy and speed on generated loops with known answers.",
        discussion: """
            Writes the accuracy tests' tempo sets (drums, bass, chords, house, boom bap, arpeggios, \
            two-step, shuffle, dembow, trap, stabs, rolling bass, drill, half-time drum and bass, lo-fi, \
            afrobeats, techno, jersey club, garage, breakbeat, dubstep, funk, disco and tonal lines) and \
            tonal loops at known tempos and keys (several formats and rates, names without hints) into the \
            folder, analyses each, and writes manifest.csv: path, set, true tempo, true key (empty for \
            drums), loopd's tempo and key, seconds.
            """
    )

    @OptionGroup var workFolder: WorkFolderOption

    struct Item {
        /// The accuracy tests' set the loop comes from, or "keys".
        var set: String
        var pattern: LoopPattern
        var bpm: Double
        var beats: Int
        var key: String?
        var kind: AudioFileKind
        var rate: Int
        var seed: UInt64
    }

    static var items: [Item] {
        var items: [Item] = []
        // The tempo sets of the accuracy tests; keys are known for the chords and arpeggios.
        for (set, loops) in LabelledLoop.namedSets {
            for (index, loop) in loops.enumerated() {
                let key: String? = switch loop.pattern {
                case let .chords(root, minor): MusicalKey(pitchClass: root % 12, isMinor: minor).name
                case let .arpeggio(root): MusicalKey(pitchClass: root % 12, isMinor: true).name
                default: nil
                }
                items.append(Item(set: set, pattern: loop.pattern, bpm: loop.bpm, beats: loop.beats, key: key, kind: loop.kind, rate: loop.sampleRate, seed: UInt64(index + 1)))
            }
        }
        for index in 0..<24 {
            let root = 45 + index % 12, minor = index % 3 != 0
            let pattern: LoopPattern = index % 2 == 0 ? .chords(root: root, minor: minor) : .arpeggio(root: root)
            let key = MusicalKey(pitchClass: root % 12, isMinor: index % 2 == 0 ? minor : true).name
            items.append(Item(set: "keys", pattern: pattern, bpm: 84 + Double(index * 5 % 80), beats: 16, key: key, kind: [.wav16, .flac16, .ogg][index % 3], rate: [44100, 48000][index % 2], seed: UInt64(index + 1)))
        }
        return items
    }

    func run() throws {
        try workFolder.use(named: "loopbench-accuracy") { folder, library in
            let analyzer = FileAnalyzer()
            var rows = ["path,set,true_bpm,true_key,loopd_bpm,loopd_key,loopd_seconds,audio_seconds"]
            var exact = 0, integer = 0, within = 0, keysRight = 0, keyed = 0, totalSeconds = 0.0, audioSeconds = 0.0
            for (index, item) in Self.items.enumerated() {
                let samples = item.pattern.render(bpm: item.bpm, beats: item.beats, sampleRate: item.rate, seed: item.seed)
                let path = library + "/clip\(index).\(item.kind.fileExtension)"
                try SignalWriter.write(path: path, kind: item.kind, interleaved: samples, sampleRate: item.rate)
                let started = ContinuousClock.now
                let audio = analyzer.analyze(path: path).audio
                let seconds = (ContinuousClock.now - started).seconds
                totalSeconds += seconds
                audioSeconds += audio?.duration ?? 0
                let found = audio?.audioBpm
                if item.bpm == item.bpm.rounded() {
                    integer += 1
                    if found == item.bpm { exact += 1 }
                }
                if PackScorecard.withinOctave(found, item.bpm) { within += 1 }
                if let key = item.key {
                    keyed += 1
                    if audio?.audioKey == key { keysRight += 1 }
                }
                rows.append([path, item.set, String(item.bpm), item.key ?? "", found.map { String($0) } ?? "", audio?.audioKey ?? "", String(seconds), String(audio?.duration ?? 0)].joined(separator: ","))
            }
            try (rows.joined(separator: "\n") + "\n").write(toFile: folder + "/manifest.csv", atomically: false, encoding: .utf8)
            let report: [String: Double] = [
                "loops": Double(Self.items.count), "tempoExactOnIntegerTempos": Double(exact) / Double(integer),
                "tempoWithin4PercentOrOctave": Double(within) / Double(Self.items.count), "keyExact": Double(keysRight) / Double(keyed),
                "realtimeFactor": audioSeconds / totalSeconds,
            ]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            print("Manifest: \(folder)/manifest.csv")
        }
    }
}
