import Foundation

/// The sounds patterns and one-shots are built from: a pitched-down kick, a
/// snare of tone and noise, a hat of differenced noise, and tones with
/// harmonics.
extension LoopPattern {
    static func kick(_ sampleRate: Int) -> [Float] {
        let count = Int(0.35 * Double(sampleRate))
        var phase = 0.0
        return (0..<count).map { n in
            let t = Double(n) / Double(sampleRate)
            phase += 2 * .pi * (45 + 110 * exp(-t * 35)) / Double(sampleRate)
            return Float(exp(-t * 9) * sin(phase))
        }
    }

    static func snare(_ sampleRate: Int, _ random: inout UInt64) -> [Float] {
        let body = tone(frequency: 185, seconds: 0.2, sampleRate, decay: 20)
        let rattle = noise(seconds: 0.2, decay: 18, sampleRate, &random)
        return zip(body, rattle).map { 0.5 * $0 + 0.6 * $1 }
    }

    static func hat(_ sampleRate: Int, _ random: inout UInt64) -> [Float] {
        // Differenced noise: the energy sits high, as a hat's does.
        let raw = noise(seconds: 0.05, decay: 70, sampleRate, &random)
        return raw.indices.map { $0 == 0 ? raw[0] : raw[$0] - raw[$0 - 1] }
    }

    static func noise(seconds: Double, decay: Double, _ sampleRate: Int, _ random: inout UInt64) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map { n in
            random = random &* 6364136223846793005 &+ 1442695040888963407
            let white = Double(random >> 11) / Double(1 << 53) * 2 - 1
            return Float(white * exp(-Double(n) / Double(sampleRate) * decay))
        }
    }

    static func tone(midi: Int, seconds: Double, _ sampleRate: Int, harmonics: Int) -> [Float] {
        let frequency = 440 * pow(2, Double(midi - 69) / 12)
        var sum = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
        for harmonic in 1...harmonics {
            let partial = tone(frequency: frequency * Double(harmonic), seconds: seconds, sampleRate, decay: 2 + Double(harmonic))
            for index in sum.indices { sum[index] += partial[index] / Float(harmonic) }
        }
        // A short fade in and out: no clicks at the note's edges.
        let fade = min(sum.count / 2, sampleRate / 200)
        for index in 0..<fade {
            let gain = Float(index) / Float(fade)
            sum[index] *= gain
            sum[sum.count - 1 - index] *= gain
        }
        return sum
    }

    static func tone(frequency: Double, seconds: Double, _ sampleRate: Int, decay: Double) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map { n in
            let t = Double(n) / Double(sampleRate)
            return Float(exp(-t * decay) * sin(2 * .pi * frequency * t))
        }
    }
}
