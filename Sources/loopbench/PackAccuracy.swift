import ArgumentParser
import Dispatch
import Foundation
import LoopAnalysis
import LoopCore
import LoopTestSupport
import Synchronization

/// Accuracy on pack-like material: loops and one-shots rendered with sampled
/// instruments through fluidsynth, produced and named as sample packs are,
/// judged as loopd judges them (audio and names weighed together).
struct PackAccuracy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packs",
        abstract: "Tempo, key, type and root-note accuracy on generated sample packs (fluidsynth and a soundfont).",
        discussion: """
            Renders a seeded set of pack-like samples (drum, bass, chord, arpeggio and melody loops, full \
            mixes, drum and bass one-shots, stabs) in many styles, tempos, keys, formats and rates, with swing, \
            humanised timing, reverb and delay tails, sidechain pumping, filter sweeps and a limiter, named \
            in several pack conventions, also without hints, with hash-like names and with misleading folders. \
            Each file is analysed and judged with its path as loopd does, and the figures are printed as JSON; \
            with --folder, manifest.csv lists the loops for essentia-compare.py. \
            The tuning set is the default; --held-out renders another seed with another soundfont, to be \
            scored, never tuned on.
            """
    )

    @OptionGroup var workFolder: WorkFolderOption

    @Flag(help: "The held-out set: its own seed and, where installed, another soundfont.")
    var heldOut = false

    @Option(help: "How many samples.")
    var count = 200

    @Option(help: ArgumentHelp("The soundfont to render with.", valueName: "path"))
    var soundfont: String?

    @Flag(help: "Keep the samples a kept --folder already holds rather than render them again (while tuning).")
    var reuse = false

    @Flag(help: "Print each sample judged wrongly.")
    var misses = false

    @Option(help: ArgumentHelp("Print what the audio alone says about samples whose path contains this.", valueName: "text"))
    var explain: String?

    func run() throws {
        let soundfonts = heldOut ? FluidSynthRenderer.debianSoundfonts.reversed() : FluidSynthRenderer.debianSoundfonts
        guard let chosen = soundfont ?? soundfonts.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("No soundfont found; install fluidsynth and timgm6mb-soundfont (or pass --soundfont).")
        }
        let renderer = FluidSynthRenderer(soundfont: chosen)
        let samples = PackSet.samples(seed: heldOut ? PackSet.heldOutSeed : PackSet.tuningSeed, count: count)
        try workFolder.use(named: "loopbench-packs", emptied: !reuse) { folder, library in
            let scratch = folder + "/scratch"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let started = ContinuousClock.now
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: samples.count) { index in
                if reuse, FileManager.default.fileExists(atPath: library + "/" + samples[index].relativePath) { return }
                do {
                    try samples[index].write(under: library, renderer: renderer, scratch: scratch)
                } catch {
                    failures.withLock { $0.append("\(samples[index].relativePath): \(error)") }
                }
            }
            if let failure = failures.withLock({ $0.first }) { throw ValidationError("Rendering failed: \(failure)") }
            let rendered = (ContinuousClock.now - started).seconds
            let analyzer = FileAnalyzer()
            var scorecard = PackScorecard()
            var analysisSeconds = 0.0, audioSeconds = 0.0
            // The loops in the manifest `essentia-compare.py` reads, with loopd's verdicts.
            var rows = ["path,set,true_bpm,true_key,loopd_bpm,loopd_key,loopd_seconds,audio_seconds"]
            for sample in samples {
                let path = library + "/" + sample.relativePath
                let began = ContinuousClock.now
                let audio = analyzer.analyze(path: path).audio
                let seconds = (ContinuousClock.now - began).seconds
                analysisSeconds += seconds
                audioSeconds += audio?.duration ?? 0
                let verdict = SampleVerdict(audio: .init(audio), names: NameHints.parse(relativePath: sample.relativePath))
                if let bpm = sample.trueBpm {
                    let quoted = "\"" + path.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    rows.append([quoted, sample.style.rawValue, String(bpm), sample.trueKey?.name ?? "", verdict.bpm.map { String($0) } ?? "",
                                 verdict.key?.name ?? "", String(seconds), String(audio?.duration ?? 0)].joined(separator: ","))
                }
                if let explain, sample.relativePath.contains(explain), let audio {
                    print("\(sample.relativePath): \(String(format: "%.3f", audio.duration)) s, trailing \(audio.trailingSilence ?? 0), type \(audio.audioType?.rawValue ?? "-") (\(audio.audioTypeConfidence ?? 0)), bpm \(audio.audioBpm ?? 0) (\(audio.audioBpmConfidence ?? 0)), key \(audio.audioKey ?? "-") (\(audio.audioKeyStrength ?? 0)), root \(audio.rootNote ?? "-")")
                }
                scorecard.add(sample, verdict: verdict)
            }
            var report: [String: String] = [
                "set": heldOut ? "held-out" : "tuning", "soundfont": chosen, "samples": String(samples.count),
                "renderSeconds": String(format: "%.1f", rendered), "realtimeFactor": String(format: "%.0f", audioSeconds / analysisSeconds),
            ]
            for (name, tally) in scorecard.figures {
                report[name] = tally.share.map { String(format: "%.2f (%d/%d)", $0, tally.right, tally.total) } ?? "-"
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            try (rows.joined(separator: "\n") + "\n").write(toFile: folder + "/manifest.csv", atomically: false, encoding: .utf8)
            if workFolder.folder != nil { print("Manifest: \(folder)/manifest.csv") }
            if misses { scorecard.misses.forEach { print($0) } }
        }
    }
}
