import Foundation

/// A generated sound; every sample is computed, so tests know what to expect.
public enum TestSignal: Sendable {
    /// A sine at `frequency` Hz with peak `amplitude` (0...1).
    case sine(frequency: Double, amplitude: Double)
    /// A decaying low sine with a click, like a kick drum.
    case kick(amplitude: Double)
    /// Uniform white noise, repeatable for a given seed.
    case noise(amplitude: Double, seed: UInt64)
    case silence

    /// Fills `frames` frames of `channels` interleaved samples starting at `startFrame`.
    func render(into buffer: inout [Float], startFrame: Int, frames: Int, channels: Int, sampleRate: Int, state: inout UInt64) {
        buffer.removeAll(keepingCapacity: true)
        let rate = Double(sampleRate)
        for n in startFrame..<(startFrame + frames) {
            let t = Double(n) / rate
            let value: Double
            switch self {
            case let .sine(frequency, amplitude):
                value = amplitude * sin(2 * .pi * frequency * t)
            case let .kick(amplitude):
                let frequency = 50 + 100 * exp(-t * 30)
                value = amplitude * exp(-t * 8) * sin(2 * .pi * frequency * t)
            case let .noise(amplitude, _):
                state = state &* 6364136223846793005 &+ 1442695040888963407
                value = amplitude * (Double(state >> 11) / Double(1 << 53) * 2 - 1)
            case .silence:
                value = 0
            }
            for _ in 0..<channels { buffer.append(Float(value)) }
        }
    }

    var initialState: UInt64 {
        if case let .noise(_, seed) = self { return seed }
        return 0
    }
}
