import ArgumentParser
import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth

/// Analysis throughput per worker against a decode-only pass over the same files.
struct AnalysisBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analysis",
        abstract: "Full analysis vs decode-only, in audio seconds per second on one thread.",
        discussion: "Generates loops and one-shots (drums, bass, chords; several formats), then times each pass in this process."
    )

    @Option(help: "Loops in the generated library (as many one-shots are added).")
    var loops = 150

    @Option(help: "Times each pass is run; the median is reported.")
    var rounds = 3

    @OptionGroup var workFolder: WorkFolderOption

    func validate() throws {
        if loops < 1 { throw ValidationError("--loops must be at least 1.") }
        if rounds < 1 { throw ValidationError("--rounds must be at least 1.") }
    }

    func run() throws {
        try workFolder.use(named: "loopbench-analysis") { _, library in try measure(library: library) }
    }

    private func measure(library: String) throws {
        var paths: [String] = []
        var clips: [[Float]] = []
        let kinds: [AudioFileKind] = [.wav16, .wav24, .flac16, .aiff16, .ogg, .mp3]
        for index in 0..<loops {
            let patterns: [LoopPattern] = [.drums, .bass(root: 33 + index % 12), .chords(root: 48 + index % 12, minor: index % 2 == 0), .house, .boomBap]
            let kind = kinds[index % kinds.count]
            let bpm = 80 + Double(index * 7 % 90)
            let samples = patterns[index % patterns.count].render(bpm: bpm, beats: [4, 8, 16][index % 3], sampleRate: 44100, seed: UInt64(index + 1))
            let path = library + "/loop\(index).\(kind.fileExtension)"
            try SignalWriter.write(path: path, kind: kind, interleaved: samples, sampleRate: 44100)
            let shot = LoopPattern.OneShot.allCases[index % LoopPattern.OneShot.allCases.count]
            let shotPath = library + "/shot\(index).\(kind.fileExtension)"
            try SignalWriter.write(path: shotPath, kind: kind, interleaved: shot.render(sampleRate: 44100, seed: UInt64(index + 1)), sampleRate: 44100)
            paths += [path, shotPath]
            clips += [samples, shot.render(sampleRate: 44100, seed: UInt64(index + 1))]
        }
        let analyzer = FileAnalyzer()
        // Warm the page cache, so both passes read from memory.
        var audioSeconds = 0.0
        for path in paths { audioSeconds += Double(try analyzer.decodeOnly(path: path)) / 44100 }

        // Medians of several rounds: single passes vary by 20% on a shared VM.
        func median(_ pass: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<rounds {
                let started = ContinuousClock.now
                try pass()
                times.append((ContinuousClock.now - started).seconds)
            }
            return times.sorted()[times.count / 2]
        }
        let decodeSeconds = try median { for path in paths { _ = try analyzer.decodeOnly(path: path) } }
        var errors = 0
        let analysisSeconds = median {
            errors = 0
            for path in paths where analyzer.analyze(path: path).error != nil { errors += 1 }
        }
        // Each analyzer alone, fed the same audio from memory: what it costs, without the decode's noise.
        var alone: [String: Double] = [:]
        let hashOnly = FileAnalyzer(only: [])
        alone["decode+hash"] = median { for path in paths { _ = hashOnly.analyze(path: path) } }
        for type in FileAnalyzer.analyzerTypes {
            alone[type.name] = median {
                for clip in clips {
                    let format = StreamFormat(container: .wav, sampleRate: 44100, channels: 1, bitDepth: 32, declaredFrames: Int64(clip.count), lengthIsExact: true)
                    _ = type.analyse(clip, format: format)
                }
            }
        }

        let report = AnalysisReport(
            files: paths.count, audioSeconds: audioSeconds, errors: errors,
            decodeOnlySeconds: decodeSeconds, fullAnalysisSeconds: analysisSeconds,
            decodeOnlyRealtimeFactor: audioSeconds / decodeSeconds,
            fullAnalysisRealtimeFactor: audioSeconds / analysisSeconds,
            analysisOverDecode: analysisSeconds / decodeSeconds,
            analyzers: FileAnalyzer.versionTag,
            secondsPerAnalyzer: alone
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

struct AnalysisReport: Encodable {
    var files: Int
    var audioSeconds: Double
    var errors: Int
    var decodeOnlySeconds: Double
    var fullAnalysisSeconds: Double
    /// Audio seconds per second on one thread: one worker's rate.
    var decodeOnlyRealtimeFactor: Double
    var fullAnalysisRealtimeFactor: Double
    var analysisOverDecode: Double
    var analyzers: String
    /// Seconds each analyzer takes alone over the same audio held in memory; "decode+hash" is a pass
    /// that only decodes and hashes the files.
    var secondsPerAnalyzer: [String: Double]
}
