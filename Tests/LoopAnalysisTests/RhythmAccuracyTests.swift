import Dispatch
import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import LoopTestSupport
import Synchronization
import Testing

/// Tempo and loop-or-one-shot on generated audio with known answers, in
/// several formats and rates, named without hints. The thresholds are the
/// product's targets; the misses are printed so a failure says what it missed.
@Suite struct RhythmAccuracyTests {
    let folder = TemporaryDirectory("rhythm")
    let analyzer = FileAnalyzer()

    func analyse(_ samples: [Float], kind: AudioFileKind, sampleRate: Int, name: String) throws -> AudioAnalysis {
        let path = folder.file(name + "." + kind.fileExtension)
        try SignalWriter.write(path: path, kind: kind, interleaved: samples, sampleRate: sampleRate)
        return try #require(analyzer.analyze(path: path).audio)
    }

    /// Within 4% of the tempo, its double or its half: the issue's second tempo target.
    static func isWithinOctaves(_ found: Double?, of bpm: Double) -> Bool {
        guard let found else { return false }
        return [1.0, 2, 0.5].contains { abs(found / (bpm * $0) - 1) <= 0.04 }
    }

    /// What one set scored, and what it missed.
    struct Tally: Sendable {
        var set: String
        var exact = 0, integerLoops = 0, withinOctaves = 0, typedLoop = 0, count = 0
        var misses: [String] = []

        mutating func add(_ other: Tally) {
            exact += other.exact
            integerLoops += other.integerLoops
            withinOctaves += other.withinOctaves
            typedLoop += other.typedLoop
            count += other.count
        }

        var report: String {
            "Rhythm (\(set)): exact integer BPM \(exact)/\(integerLoops), within 4% (x2, /2) \(withinOctaves)/\(count), typed loop \(typedLoop)/\(count)"
                + misses.map { "\n  miss: \($0)" }.joined()
        }
    }

    func tally(_ set: String, _ loops: [LabelledLoop]) throws -> Tally {
        var tally = Tally(set: set, count: loops.count)
        for (index, loop) in loops.enumerated() {
            let samples = loop.render(seed: UInt64(index + 1))
            let audio = try analyse(samples, kind: loop.kind, sampleRate: loop.sampleRate, name: "\(set)-clip\(index)")
            let found = audio.audioBpm
            let isInteger = loop.bpm == loop.bpm.rounded()
            if isInteger {
                tally.integerLoops += 1
                if found == loop.bpm { tally.exact += 1 }
            }
            if Self.isWithinOctaves(found, of: loop.bpm) { tally.withinOctaves += 1 }
            if audio.audioType == .loop { tally.typedLoop += 1 }
            if found.map({ isInteger ? $0 != loop.bpm : abs($0 / loop.bpm - 1) > 0.04 }) ?? true || audio.audioType != .loop {
                tally.misses.append("\(loop.bpm) BPM \(loop.beats) beats \(loop.pattern.name) \(loop.kind) \(loop.sampleRate) Hz: \(found.map { "\($0)" } ?? "none") \(audio.audioType?.rawValue ?? "-")")
            }
        }
        return tally
    }

    /// The issue's targets hold over every generated set together; each set the rules were
    /// developed on meets them alone, so a change that trades one of them away fails here.
    @Test func loopTempoAndType() async throws {
        // Two minutes of work on Dispatch's threads, awaited: held on the concurrency pool's few
        // threads it would keep other tests' awaits from resuming.
        let sets = LabelledLoop.namedSets
        let tallies = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Tally], any Error>) in
            DispatchQueue.global().async {
                let outcomes = Mutex<[Result<Tally, any Error>]>([])
                DispatchQueue.concurrentPerform(iterations: sets.count) { index in
                    let outcome = Result { try tally(sets[index].name, sets[index].loops) }
                    outcomes.withLock { $0.append(outcome) }
                }
                continuation.resume(with: Result { try outcomes.withLock { $0 }.map { try $0.get() } })
            }
        }
        var all = Tally(set: "every set")
        for name in sets.map(\.name) {
            guard let tally = tallies.first(where: { $0.set == name }) else { continue }
            print(tally.report)
            all.add(tally)
            #expect(Double(tally.typedLoop) >= 0.95 * Double(tally.count), "\(name): loops typed as loops \(tally.typedLoop)/\(tally.count)")
            if ["tuned", "held out", "second held out", "third held out"].contains(name) {
                #expect(Double(tally.exact) >= 0.95 * Double(tally.integerLoops), "\(name): exact integer BPM \(tally.exact)/\(tally.integerLoops)")
                #expect(Double(tally.withinOctaves) >= 0.98 * Double(tally.count), "\(name): within 4% \(tally.withinOctaves)/\(tally.count)")
            }
        }
        print(all.report)
        // What the later sets still miss: grooves the rules cannot settle (hip hop with sixteenth
        // hats at 86-92 reads like half-time drum and bass at 172-184; even tonal eighths at 72-96
        // read at double or 4/3; a three-bar loop with a 3-3-2 figure at 2/3).
        #expect(Double(all.exact) >= 0.95 * Double(all.integerLoops), "exact integer BPM \(all.exact)/\(all.integerLoops)")
        #expect(Double(all.withinOctaves) >= 0.98 * Double(all.count), "within 4% \(all.withinOctaves)/\(all.count)")
    }

    /// MP3 encoders pad both ends of the audio; decoding must remove the padding (the LAME
    /// header says how much), or no loop would last a whole number of beats.
    @Test func mp3LoopsKeepTheirLengthAndTempo() throws {
        var exact = 0, integerLoops = 0
        var misses: [String] = []
        for (index, loop) in (LabelledLoop.heldOut + LabelledLoop.secondHeldOut).enumerated() where loop.bpm == loop.bpm.rounded() {
            let rate = [44100, 48000][index % 2]
            let samples = loop.pattern.render(bpm: loop.bpm, beats: loop.beats, sampleRate: rate, seed: UInt64(index + 1))
            let audio = try analyse(samples, kind: .mp3, sampleRate: rate, name: "mp3-\(integerLoops)")
            #expect(abs(audio.duration - Double(samples.count) / Double(rate)) < 0.001, "\(loop.bpm) BPM \(loop.pattern): \(audio.duration) s")
            integerLoops += 1
            if audio.audioBpm == loop.bpm { exact += 1 } else { misses.append("\(loop.bpm) BPM \(loop.pattern): \(audio.audioBpm.map { "\($0)" } ?? "none")") }
        }
        print("Rhythm (MP3): exact integer BPM \(exact)/\(integerLoops)")
        for miss in misses { print("  miss: \(miss)") }
        #expect(Double(exact) >= 0.95 * Double(integerLoops), "exact integer BPM \(exact)/\(integerLoops)")
    }

    /// Loops exported with 300 ms of decay after their last beat: not a whole number of beats
    /// long, so the tempo comes from the onsets' own period. Loops must stay loops; the tempo
    /// is held to a lower bar than for cleanly cut loops (the issue's targets are for those).
    @Test func loopsWithATailStayLoops() throws {
        var exact = 0, integerLoops = 0, withinOctaves = 0, typedLoop = 0
        let loops = LabelledLoop.tuned + LabelledLoop.heldOut + LabelledLoop.secondHeldOut
        for (index, loop) in loops.enumerated() where index % 2 == 0 {
            let samples = loop.render(seed: UInt64(index + 1))
            let tail = (0..<(loop.sampleRate * 3 / 10)).map { samples[$0 % samples.count] * Float(exp(-Double($0) / Double(loop.sampleRate) * 10)) }
            let audio = try analyse(samples + tail, kind: .wav24, sampleRate: loop.sampleRate, name: "tail\(index)")
            if loop.bpm == loop.bpm.rounded() {
                integerLoops += 1
                if audio.audioBpm == loop.bpm { exact += 1 }
            }
            if Self.isWithinOctaves(audio.audioBpm, of: loop.bpm) { withinOctaves += 1 }
            if audio.audioType == .loop { typedLoop += 1 }
        }
        let count = (loops.count + 1) / 2
        print("Rhythm (with a tail): exact integer BPM \(exact)/\(integerLoops), within 4% (x2, /2) \(withinOctaves)/\(count), typed loop \(typedLoop)/\(count)")
        #expect(Double(typedLoop) >= 0.95 * Double(count), "loops typed as loops \(typedLoop)/\(count)")
        #expect(Double(withinOctaves) >= 0.75 * Double(count), "within 4% \(withinOctaves)/\(count)")
    }

    @Test func oneShotsHaveNoTempo() throws {
        var typedOneShot = 0, total = 0
        var misses: [String] = []
        for (index, shot) in LoopPattern.OneShot.allCases.enumerated() {
            for (variant, kind) in [AudioFileKind.wav16, .flac16, .ogg].enumerated() {
                let seed = UInt64(index * 3 + variant + 1)
                let audio = try analyse(shot.render(sampleRate: 44100, seed: seed), kind: kind, sampleRate: 44100, name: "shot\(index)-\(variant)")
                total += 1
                if audio.audioType == .oneShot && audio.audioBpm == nil { typedOneShot += 1 } else { misses.append("\(shot) \(kind): \(audio.audioType?.rawValue ?? "-") \(audio.audioBpm.map { "\($0)" } ?? "")") }
            }
        }
        print("Rhythm: one-shots typed as one-shots without tempo \(typedOneShot)/\(total)")
        for miss in misses { print("  miss: \(miss)") }
        #expect(Double(typedOneShot) >= 0.95 * Double(total), "\(typedOneShot)/\(total)")
    }
}
