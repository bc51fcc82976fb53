import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// The analysis on pack-like material: loops and one-shots rendered with a
/// General MIDI soundfont through fluidsynth, produced (swing, reverb tails,
/// pumping, a limiter, lossy formats, 22.05-96 kHz) and named as packs are,
/// some with misleading folders and hash-like names. Judged as loopd judges
/// them: audio and names weighed together.
@Suite struct PackMaterialTests {
    let folder = TemporaryDirectory("packs")

    /// The first samples of the tuning set; `loopbench packs` scores the whole set and the held-out one.
    func judged(count: Int) throws -> PackScorecard {
        let renderer = try #require(FluidSynthRenderer.installed(), "fluidsynth and a General MIDI soundfont are needed (.ci/install-deps installs them)")
        let samples = PackSet.samples(seed: PackSet.tuningSeed, count: count)
        let analyzer = FileAnalyzer()
        var scorecard = PackScorecard()
        for sample in samples {
            try sample.write(under: folder.path, renderer: renderer, scratch: folder.path)
            let analysis = analyzer.analyze(path: folder.path + "/" + sample.relativePath)
            let audio = try #require(analysis.audio, "\(sample.relativePath): \(analysis.error ?? "")")
            if sample.isLoop, sample.production.cut != .withTail {
                // Cut to whole bars, to the sample.
                let expected = Double(sample.bars * 4) * 60 / sample.bpm
                #expect(abs(audio.duration - expected) < 2 / Double(sample.sampleRate) + (sample.kind == .mp3 || sample.kind == .ogg ? 0.06 : 0), "\(sample.relativePath)")
            }
            scorecard.add(sample, verdict: SampleVerdict(audio: .init(audio), names: NameHints.parse(relativePath: sample.relativePath)))
        }
        for line in scorecard.misses { print("  miss: \(line)") }
        return scorecard
    }

    @Test func loopsOneShotsTemposAndKeysHoldOnRenderedPacks() throws {
        let scorecard = try judged(count: 40)
        for (name, tally) in scorecard.figures where tally.total > 0 {
            print("Packs: \(name) \(tally.right)/\(tally.total)")
        }
        // Floors under what the analysis reaches on these 40 (see the note of issue 19 for the whole
        // sets); they catch a regression, the benchmark measures progress.
        #expect(scorecard.type.share ?? 0 >= 0.9, "loop or one-shot \(scorecard.type.right)/\(scorecard.type.total)")
        #expect(scorecard.tempoWithinOctave.share ?? 0 >= 0.8, "tempo \(scorecard.tempoWithinOctave.right)/\(scorecard.tempoWithinOctave.total)")
        #expect(scorecard.tempoExact.share ?? 0 >= 0.7, "exact tempo \(scorecard.tempoExact.right)/\(scorecard.tempoExact.total)")
        #expect(scorecard.keyExact.share ?? 0 >= 0.75, "key \(scorecard.keyExact.right)/\(scorecard.keyExact.total)")
        #expect(scorecard.drumLoopsWithoutKey.share ?? 0 >= 0.9, "drum loops keyless \(scorecard.drumLoopsWithoutKey.right)/\(scorecard.drumLoopsWithoutKey.total)")
    }
}
