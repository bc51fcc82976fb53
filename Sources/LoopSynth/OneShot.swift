extension LoopPattern {
    /// A one-shot drum hit or note, mono.
    public enum OneShot: Sendable, CaseIterable {
        case kick, snare, hat, noiseBurst, bassNote, stab

        public func render(sampleRate: Int, seed: UInt64) -> [Float] {
            LoopPattern.normalised(unscaled(sampleRate: sampleRate, seed: seed))
        }

        private func unscaled(sampleRate: Int, seed: UInt64) -> [Float] {
            var random = seed | 1
            switch self {
            case .kick: return LoopPattern.kick(sampleRate)
            case .snare: return LoopPattern.snare(sampleRate, &random)
            case .hat: return LoopPattern.hat(sampleRate, &random)
            case .noiseBurst: return LoopPattern.noise(seconds: 1.5, decay: 3, sampleRate, &random)
            case .bassNote: return LoopPattern.tone(midi: 36 + Int(seed % 12), seconds: 1.2, sampleRate, harmonics: 4).map { $0 * 0.7 }
            case .stab: return LoopPattern.tone(midi: 60 + Int(seed % 12), seconds: 0.8, sampleRate, harmonics: 6).map { $0 * 0.5 }
            }
        }
    }
}
