import Foundation

/// How a generated sample is produced after rendering, as sample packs are:
/// effects on the tonal layer, how the loop is cut, and the master.
public struct PackProduction: Sendable, Equatable {
    public enum Cut: String, Sendable {
        /// Cut to whole bars with the tail folded back into the start, so it loops seamlessly.
        case seamless
        /// Cut to whole bars; the tail is lost.
        case hard
        /// Exported with its tail after the last bar.
        case withTail
    }

    public var cut: Cut = .seamless
    public var reverb = false
    /// Feedback delay of three sixteenths on the tonal layer.
    public var delay = false
    /// The tonal layer ducked on every beat, as a sidechained compressor does.
    public var pump = false
    /// A low-pass filter opening across the loop.
    public var filterSweep = false
    /// Soft-clipped into a limiter, as mastered packs are.
    public var limiter = true
    /// Fade-out over the last beat (over the tail for one with one).
    public var fadeOut = false
    public var mono = false

    /// Mixes the rendered layers (interleaved stereo) into the finished sample.
    func finish(tonal: [Float], drums: [Float], bpm: Double, loopBeats: Double?, sampleRate: Int) -> [Float] {
        let rate = Double(sampleRate)
        let beatFrames = 60 / bpm * rate
        var tonal = tonal
        if pump { duck(&tonal, every: beatFrames) }
        if delay { addDelay(&tonal, frames: Int(0.75 * beatFrames)) }
        let frames = max(tonal.count, drums.count) / 2
        var mix = [Float](repeating: 0, count: frames * 2)
        for index in tonal.indices { mix[index] += tonal[index] }
        for index in drums.indices { mix[index] += drums[index] }
        if filterSweep { sweep(&mix, frames: frames, sampleRate: rate) }
        if let loopBeats {
            let length = Int((loopBeats * beatFrames).rounded())
            mix = shape(mix, loopFrames: length, beatFrames: Int(beatFrames))
        } else {
            mix = trimSilence(mix)
        }
        if limiter { limit(&mix) } else { normalise(&mix, peak: 0.8) }
        fade(&mix, beatFrames: Int(beatFrames), sampleRate: rate)
        if mono {
            return stride(from: 0, to: mix.count - 1, by: 2).map { (mix[$0] + mix[$0 + 1]) / 2 }
        }
        return mix
    }

    private func duck(_ samples: inout [Float], every beatFrames: Double) {
        let release = beatFrames / 3
        for frame in 0..<samples.count / 2 {
            let phase = Double(frame).truncatingRemainder(dividingBy: beatFrames)
            let gain = Float(1 - 0.7 * exp(-phase / release))
            samples[2 * frame] *= gain
            samples[2 * frame + 1] *= gain
        }
    }

    private func addDelay(_ samples: inout [Float], frames delay: Int) {
        guard delay > 0 else { return }
        let tail = 4 * delay
        samples += [Float](repeating: 0, count: tail * 2)
        for index in (2 * delay)..<samples.count { samples[index] += 0.35 * samples[index - 2 * delay] }
    }

    /// A one-pole low-pass whose cutoff rises from 250 Hz to 16 kHz over the clip.
    private func sweep(_ samples: inout [Float], frames: Int, sampleRate: Double) {
        var left: Float = 0, right: Float = 0
        for frame in 0..<frames {
            let cutoff = 250 * pow(64, Double(frame) / Double(max(frames, 1)))
            let alpha = Float(1 - exp(-2 * Double.pi * cutoff / sampleRate))
            left += alpha * (samples[2 * frame] - left)
            right += alpha * (samples[2 * frame + 1] - right)
            samples[2 * frame] = left
            samples[2 * frame + 1] = right
        }
    }

    private func shape(_ mix: [Float], loopFrames: Int, beatFrames: Int) -> [Float] {
        var loop = [Float](repeating: 0, count: loopFrames * 2)
        for index in 0..<min(loop.count, mix.count) { loop[index] = mix[index] }
        switch cut {
        case .hard:
            return loop
        case .seamless:
            // What rings past the end sounds again at the start when the loop repeats.
            var index = loop.count
            while index < mix.count {
                loop[index % loop.count] += mix[index]
                index += 1
            }
            return loop
        case .withTail:
            let tail = min(mix.count / 2 - loopFrames, 2 * beatFrames)
            return Array(mix.prefix((loopFrames + max(0, tail)) * 2))
        }
    }

    private func trimSilence(_ mix: [Float]) -> [Float] {
        let peak = mix.map(abs).max() ?? 0
        guard peak > 0, let last = mix.lastIndex(where: { abs($0) > peak * 0.001 }) else { return mix }
        return Array(mix.prefix(last + 2 - last % 2))
    }

    private func limit(_ samples: inout [Float]) {
        // Gain into a soft clipper: peaks round off as a limiter leaves them.
        normalise(&samples, peak: 1.6)
        let ceiling: Float = tanh(1.6)
        for index in samples.indices { samples[index] = 0.97 * tanh(samples[index]) / ceiling }
    }

    private func normalise(_ samples: inout [Float], peak target: Float) {
        let peak = samples.map(abs).max() ?? 0
        guard peak > 0 else { return }
        let gain = target / peak
        for index in samples.indices { samples[index] *= gain }
    }

    private func fade(_ samples: inout [Float], beatFrames: Int, sampleRate: Double) {
        let frames = samples.count / 2
        // A few milliseconds at both ends, against clicks; a long fade-out when asked for.
        let edge = min(frames / 4, Int(0.003 * sampleRate))
        let out = fadeOut ? min(frames / 2, beatFrames) : edge
        for frame in 0..<frames {
            var gain: Float = 1
            if cut != .seamless, frame < edge { gain = Float(frame) / Float(max(edge, 1)) }
            if frame >= frames - out, cut != .seamless || fadeOut { gain *= Float(frames - frame) / Float(max(out, 1)) }
            samples[2 * frame] *= gain
            samples[2 * frame + 1] *= gain
        }
    }
}
