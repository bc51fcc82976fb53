import CEbur128
import Foundation
import LoopAnalysis
import LoopCore
import LoopSynth
import Testing

/// The loudness meter against libebur128 on the same samples fed in the same
/// blocks: integrated loudness, loudness range and the ungated clip loudness,
/// over channel layouts, rates, lengths and material that gates differently.
@Suite struct LoudnessMeterTests {
    struct Case: CustomStringConvertible {
        var name: String
        var sampleRate: Int
        var channels: Int
        var interleaved: [Float]
        var description: String { "\(name) \(channels) ch \(sampleRate) Hz" }
    }

    /// Noise whose level steps every `stepSeconds` through `levels` (dBFS), as loudness range needs.
    static func steppedNoise(seconds: Double, rate: Int, channels: Int, levels: [Double], stepSeconds: Double, seed: UInt64) -> [Float] {
        var random = seed | 1
        let frames = Int(seconds * Double(rate))
        var out = [Float](repeating: 0, count: frames * channels)
        for frame in 0..<frames {
            let level = levels[Int(Double(frame) / Double(rate) / stepSeconds) % levels.count]
            let gain = pow(10, level / 20)
            for channel in 0..<channels {
                random = random &* 6364136223846793005 &+ 1442695040888963407
                out[frame * channels + channel] = Float(gain * (Double(random >> 11) / Double(1 << 53) * 2 - 1))
            }
        }
        return out
    }

    /// A mono signal spread over channels with a different gain on each, so channel weights matter.
    static func spread(_ mono: [Float], channels: Int) -> [Float] {
        var out = [Float](repeating: 0, count: mono.count * channels)
        for (frame, value) in mono.enumerated() {
            for channel in 0..<channels { out[frame * channels + channel] = value * Float(1 - 0.12 * Double(channel)) }
        }
        return out
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for (index, loop) in LabelledLoop.tuned.prefix(12).enumerated() {
            let channels = [1, 2, 2, 6][index % 4]
            cases.append(Case(name: "\(loop.pattern) \(loop.bpm)", sampleRate: loop.sampleRate, channels: channels, interleaved: spread(loop.render(seed: UInt64(index + 1)), channels: channels)))
        }
        for (rate, channels) in [(8000, 1), (22050, 2), (44100, 4), (48000, 5), (88200, 2), (96000, 8), (192_000, 1), (44100, 3)] {
            cases.append(Case(name: "stepped noise", sampleRate: rate, channels: channels,
                              interleaved: steppedNoise(seconds: 14.3, rate: rate, channels: channels, levels: [-12, -30, -20, -45, -80, -8], stepSeconds: 1.7, seed: UInt64(rate + channels))))
        }
        // Short clips: under a gating block, one block, under and at the 3 s window.
        for seconds in [0.05, 0.3, 0.4, 0.45, 1.234, 2.99, 3.0] {
            cases.append(Case(name: "noise \(seconds) s", sampleRate: 44100, channels: 2,
                              interleaved: steppedNoise(seconds: seconds, rate: 44100, channels: 2, levels: [-18, -26], stepSeconds: 0.13, seed: 7)))
        }
        // A burst then digital silence: the gates drop the silence, the filter decays to nothing.
        let burst = steppedNoise(seconds: 1.5, rate: 48000, channels: 2, levels: [-10], stepSeconds: 1, seed: 3)
        cases.append(Case(name: "burst then 20 s of silence", sampleRate: 48000, channels: 2, interleaved: burst + [Float](repeating: 0, count: 48000 * 2 * 20)))
        cases.append(Case(name: "silence", sampleRate: 44100, channels: 2, interleaved: [Float](repeating: 0, count: 44100 * 2 * 5)))
        // Just above and below the -70 LUFS absolute gate.
        for level in [-69.0, -71.5] {
            cases.append(Case(name: "noise at \(level) dBFS", sampleRate: 48000, channels: 1,
                              interleaved: steppedNoise(seconds: 4, rate: 48000, channels: 1, levels: [level], stepSeconds: 4, seed: 11)))
        }
        return cases
    }()

    struct Reading { var integrated: Double?; var range: Double?; var clip: Double? }

    static func libebur128(_ item: Case, block: Int) -> Reading {
        let mode = Int32(EBUR128_MODE_I.rawValue | EBUR128_MODE_LRA.rawValue)
        var created = ebur128_init(UInt32(item.channels), UInt(item.sampleRate), mode)
        defer { if created != nil { ebur128_destroy(&created) } }
        guard let state = created else { return Reading() }
        let frames = item.interleaved.count / item.channels
        item.interleaved.withUnsafeBufferPointer { buffer in
            var done = 0
            while done < frames, let base = buffer.baseAddress {
                let count = min(block, frames - done)
                _ = ebur128_add_frames_float(state, base + done * item.channels, count)
                done += count
            }
        }
        let seconds = Double(frames) / Double(item.sampleRate)
        var integrated = 0.0, range = 0.0, clip = 0.0
        let hasIntegrated = seconds >= 0.4 && ebur128_loudness_global(state, &integrated) == 0
        let hasRange = seconds >= 3 && ebur128_loudness_range(state, &range) == 0
        let hasClip = seconds <= 3 && ebur128_loudness_window(state, UInt((seconds * 1000).rounded(.up)), &clip) == 0
        func finite(_ value: Double) -> Double? { value.isFinite && value > -70 ? value : nil }
        return Reading(integrated: hasIntegrated ? finite(integrated) : nil, range: hasRange && range.isFinite ? range : nil, clip: hasClip ? finite(clip) : nil)
    }

    static func meter(_ item: Case, block: Int) -> Reading {
        let format = StreamFormat(container: .wav, sampleRate: item.sampleRate, channels: item.channels, bitDepth: 32,
                                  declaredFrames: Int64(item.interleaved.count / item.channels), lengthIsExact: true)
        let result = LoudnessAnalyzer.analyse(item.interleaved, format: format, blockFrames: [block])
        return Reading(integrated: result.loudnessLufs, range: result.loudnessRangeLu, clip: result.clipLoudnessLufs)
    }

    @Test func agreesWithLibebur128() {
        var largest = 0.0
        for (index, item) in Self.cases.enumerated() {
            let block = [4096, 1000, 65536, 333][index % 4]
            let reference = Self.libebur128(item, block: block), ours = Self.meter(item, block: block)
            for (what, theirs, mine) in [("integrated", reference.integrated, ours.integrated), ("range", reference.range, ours.range), ("clip", reference.clip, ours.clip)] {
                #expect((theirs == nil) == (mine == nil), "\(item) \(what): libebur128 \(theirs.map { "\($0)" } ?? "none"), ours \(mine.map { "\($0)" } ?? "none")")
                if let theirs, let mine {
                    largest = max(largest, abs(theirs - mine))
                    #expect(abs(theirs - mine) <= 0.01, "\(item) \(what): libebur128 \(theirs), ours \(mine)")
                }
            }
        }
        print("Loudness: \(Self.cases.count) signals, largest difference from libebur128 \(largest) LU")
    }
}
