import Foundation

/// Generated loops and one-shots with known tempo and type, for accuracy
/// tests and benchmarks. Each loop lasts exactly `beats` beats at `bpm`.
public enum LoopPattern: Sendable {
    /// Kick on beats 1 and 3, snare on 2 and 4, closed hat on every eighth.
    case drums
    /// Four on the floor: kick on every beat, clap on 2 and 4, open hat on the off-beats.
    case house
    /// Boom bap: kick on 1 and the "and" of 2, snare on 2 and 4, hats on eighths with swing.
    case boomBap
    /// An arpeggio of sixteenth notes over a minor chord, accented on the beat.
    case arpeggio(root: Int)
    /// Drum and bass two-step: kick on 1 and the "and" of 3, snare on 2 and 4, hats on eighths.
    case twoStep
    /// Shuffle: kick on 1 and 3, snare on 2 and 4, hats on swung eighths (the second a triplet late).
    case shuffle
    /// Dembow: kick on every beat, snare on the fourth and seventh sixteenths of every two beats.
    case dembow
    /// Trap: kick on 1 and the last sixteenth of 2, snare on 3 only, hats on eighths with a sixteenth roll on 4.
    case trap
    /// Chord stabs on every eighth, those on the beat played harder.
    case stabs(root: Int)
    /// A rolling bass of sixteenth notes, those on the beat played harder.
    case rollingBass(root: Int)
    /// UK drill: two bars of syncopated kicks, snares on 3 (and a ghost before the next bar), hats mixing eighths and triplets.
    case drill
    /// Half-time drum and bass: kick on 1, snare on 3 only, hats on eighths.
    case halfTimeDrumAndBass
    /// Lo-fi hip hop: kick on 1 and 3 and a late push, snare on 2 and 4, hats on eighths swung late.
    case lofi
    /// Lo-fi hip hop with a soft shaker on every sixteenth instead of hats.
    case lofiShaker
    /// Afrobeats: kicks on 1, 3 and their pushes, rim shots across the bar, a soft shaker on sixteenths.
    case afrobeats
    /// Techno: kick on every beat, claps on 2 and 4, hats on the off-beats and sixteenths.
    case techno
    /// Jersey club: kicks on 1, 2, 3, the "and" of 3 and the "and" of 4, claps on 2 and 4.
    case jerseyClub
    /// UK garage two-step: kick on 1 and before 4, snare on 2 and 4, triplet-swung hats.
    case garage
    /// A plucked melody in a three-three-two rhythm (dotted eighths) over a minor pentatonic scale.
    case pluck(root: Int)
    /// Chords on the off-beats only, as a house organ or a reggae skank plays them.
    case offbeatChords(root: Int)
    /// A breakbeat: kicks on 1, its "and" and the "and" of 3, snares on 2 and 4 with ghost notes, open hats on eighths.
    case breakbeat
    /// Dubstep: kick on 1, snare on 3 only, hats on eighths.
    case dubstep
    /// Funk: syncopated kicks, snares on 2 and 4 with ghost notes, hats on sixteenths.
    case funk
    /// Hip hop with hats on every sixteenth.
    case hipHopSixteenths
    /// Disco: kick on every beat, claps on 2 and 4, open hats on the off-beats, closed hats on sixteenths.
    case disco
    /// A walking bass of quarter notes.
    case walkingBass(root: Int)
    /// A synth riff in a three-three-two rhythm of sixteenths (a tresillo) every two beats.
    case tresilloRiff(root: Int)
    /// A piano figure of eighth notes, the chord's root on the beat.
    case pianoEighths(root: Int)
    /// A bass line of eighth notes around a root (MIDI note), with rests;
    /// notes on the beat played harder, as players do.
    case bass(root: Int)
    /// Chords held for a beat each, restruck every beat.
    case chords(root: Int, minor: Bool)
    /// Parts played together (drums, bass, chords), each at its gain: a full mix.
    indirect case layers([Layer])
    /// A pattern played by hand: every note up to `milliseconds` early or late and up to 15% softer or louder.
    indirect case humanised(LoopPattern, milliseconds: Double)

    /// A short name for reports: the case, or the parts of a mix.
    public var name: String {
        switch self {
        case let .layers(layers): layers.map(\.pattern.name).joined(separator: "+")
        case let .humanised(pattern, milliseconds): "\(pattern.name) by hand (\(milliseconds) ms)"
        default: Mirror(reflecting: self).children.first?.label ?? String(describing: self)
        }
    }

    /// One part of a mix.
    public struct Layer: Sendable {
        public var pattern: LoopPattern
        public var gain: Float

        public init(_ pattern: LoopPattern, gain: Float) {
            self.pattern = pattern
            self.gain = gain
        }
    }

    /// Mono samples of the loop.
    public func render(bpm: Double, beats: Int, sampleRate: Int, seed: UInt64) -> [Float] {
        render(bpm: bpm, beats: beats, sampleRate: sampleRate, seed: seed, looseness: 0)
    }

    /// `looseness` is how far, in milliseconds, each note may stray from the grid.
    private func render(bpm: Double, beats: Int, sampleRate: Int, seed: UInt64, looseness: Double) -> [Float] {
        let beatFrames = 60 / bpm * Double(sampleRate)
        let total = Int((beatFrames * Double(beats)).rounded())
        var out = [Float](repeating: 0, count: total)
        var random = seed | 1
        // The hand's own random numbers, so a humanised pattern keeps the sounds of the strict one.
        var hand = (seed &* 0x9E37_79B9_7F4A_7C15) | 1
        func uniform() -> Double {
            hand = hand &* 6364136223846793005 &+ 1442695040888963407
            return Double(hand >> 11) / Double(1 << 53) * 2 - 1
        }
        func add(_ sound: [Float], at start: Double, gain: Float) {
            let shift = looseness > 0 ? uniform() * looseness / 1000 * Double(sampleRate) : 0
            let velocity = looseness > 0 ? Float(1 + 0.15 * uniform()) : 1
            let first = max(0, Int((start + shift).rounded()))
            for (offset, value) in sound.enumerated() where first + offset < total { out[first + offset] += gain * velocity * value }
        }
        func play(_ groove: DrumGroove) {
            let kick = Self.kick(sampleRate), snare = Self.snare(sampleRate, &random)
            let hat = groove.openHat ? Self.noise(seconds: 0.12, decay: 25, sampleRate, &random) : Self.hat(sampleRate, &random)
            for beat in 0..<beats {
                for hit in groove.hits(onBeat: beat) {
                    let sound = switch hit.voice { case .kick: kick; case .snare: snare; case .hat: hat }
                    add(sound, at: Double(beat) * beatFrames + beatFrames * hit.offset, gain: hit.gain)
                }
            }
        }
        switch self {
        case let .layers(layers):
            for (index, layer) in layers.enumerated() {
                let part = layer.pattern.render(bpm: bpm, beats: beats, sampleRate: sampleRate, seed: seed &+ UInt64(index), looseness: looseness)
                for (position, value) in part.enumerated() where position < total { out[position] += layer.gain * value }
            }
        case let .humanised(pattern, milliseconds):
            return pattern.render(bpm: bpm, beats: beats, sampleRate: sampleRate, seed: seed, looseness: milliseconds)
        case .drums: play(.drums)
        case .house: play(.house)
        case .boomBap: play(.boomBap)
        case .twoStep: play(.twoStep)
        case .shuffle: play(.shuffle)
        case .dembow: play(.dembow)
        case .trap: play(.trap)
        case .drill: play(.drill)
        case .halfTimeDrumAndBass: play(.halfTimeDrumAndBass)
        case .lofi: play(.lofi)
        case .lofiShaker: play(.lofiShaker)
        case .afrobeats: play(.afrobeats)
        case .techno: play(.techno)
        case .jerseyClub: play(.jerseyClub)
        case .garage: play(.garage)
        case .breakbeat: play(.breakbeat)
        case .dubstep: play(.dubstep)
        case .funk: play(.funk)
        case .hipHopSixteenths: play(.hipHopSixteenths)
        case .disco: play(.disco)
        case let .walkingBass(root):
            let line = [0, 3, 5, 7, 10, 7, 5, 3]
            for beat in 0..<beats {
                let note = Self.tone(midi: root + line[beat % line.count], seconds: 60 / bpm * 0.85, sampleRate, harmonics: 4)
                add(note, at: Double(beat) * beatFrames, gain: 0.5)
            }
        case let .tresilloRiff(root):
            let notes = [0, 7, 10]
            for beat in 0..<beats {
                // Sixteenths 0, 3 and 6 of every eight (two beats): a tresillo.
                for (index, step) in [0, 3, 6].enumerated() where beat % 2 == 0 {
                    let note = Self.tone(midi: root + notes[index], seconds: 60 / bpm / 4 * 1.5, sampleRate, harmonics: 5)
                    add(note, at: (Double(beat) + Double(step) / 4) * beatFrames, gain: index == 0 ? 0.45 : 0.35)
                }
            }
        case let .pianoEighths(root):
            let figure = [0, 7, 12, 7, 3, 7, 12, 15]
            for eighth in 0..<(beats * 2) {
                let note = Self.tone(midi: root + figure[eighth % figure.count], seconds: 60 / bpm / 2 * 0.9, sampleRate, harmonics: 6)
                add(note, at: Double(eighth) * beatFrames / 2, gain: eighth % 2 == 0 ? 0.4 : 0.3)
            }
        case let .pluck(root):
            let scale = [0, 3, 5, 7, 10, 12, 7, 3]
            // Three notes every two beats: on 1, a dotted eighth later, and three eighths later.
            for (index, start) in stride(from: 0.0, to: Double(beats), by: 2).flatMap({ [$0, $0 + 0.75, $0 + 1.5] }).enumerated() {
                let note = Self.tone(midi: root + scale[index % scale.count], seconds: 60 / bpm * 0.5, sampleRate, harmonics: 5)
                add(note, at: start * beatFrames, gain: index % 3 == 0 ? 0.45 : 0.35)
            }
        case let .offbeatChords(root):
            let progression = [0, 5, 3, 7]
            for beat in 0..<beats {
                let chordRoot = root + progression[(beat / 4) % progression.count]
                for interval in [0, 3, 7, 12] {
                    let note = Self.tone(midi: chordRoot + interval, seconds: 60 / bpm * 0.3, sampleRate, harmonics: 3)
                    add(note, at: (Double(beat) + 0.5) * beatFrames, gain: 0.2)
                }
            }
        case let .arpeggio(root):
            let steps = [0, 3, 7, 12]
            for sixteenth in 0..<(beats * 4) {
                let note = Self.tone(midi: root + steps[sixteenth % 4], seconds: 60 / bpm / 4 * 0.8, sampleRate, harmonics: 3)
                add(note, at: Double(sixteenth) * beatFrames / 4, gain: sixteenth % 4 == 0 ? 0.5 : 0.3)
            }
        case let .stabs(root):
            let progression = [0, 8, 3, 10]
            for eighth in 0..<(beats * 2) {
                let chordRoot = root + progression[(eighth / 8) % progression.count]
                for interval in [0, 3, 7] {
                    let note = Self.tone(midi: chordRoot + interval, seconds: 60 / bpm / 2 * 0.6, sampleRate, harmonics: 4)
                    add(note, at: Double(eighth) * beatFrames / 2, gain: eighth % 2 == 0 ? 0.3 : 0.2)
                }
            }
        case let .rollingBass(root):
            let steps = [0, 12, 0, 7]
            for sixteenth in 0..<(beats * 4) {
                let note = Self.tone(midi: root + steps[sixteenth % steps.count], seconds: 60 / bpm / 4 * 0.8, sampleRate, harmonics: 5)
                add(note, at: Double(sixteenth) * beatFrames / 4, gain: sixteenth % 4 == 0 ? 0.5 : 0.3)
            }
        case let .bass(root):
            let steps = [0, 0, 12, 0, 7, 0, 10, 12]
            for eighth in 0..<(beats * 2) where eighth % 8 != 5 {
                let note = Self.tone(midi: root + steps[eighth % steps.count], seconds: 60 / bpm / 2 * 0.9, sampleRate, harmonics: 4)
                add(note, at: Double(eighth) * beatFrames / 2, gain: eighth % 2 == 0 ? 0.5 : 0.35)
            }
        case let .chords(root, minor):
            let third = minor ? 3 : 4
            let progression = [0, 5, 7, 0]
            for beat in 0..<beats {
                let chordRoot = root + progression[(beat / 4) % progression.count]
                for interval in [0, third, 7] {
                    let note = Self.tone(midi: chordRoot + interval, seconds: 60 / bpm * 0.95, sampleRate, harmonics: 3)
                    add(note, at: Double(beat) * beatFrames, gain: 0.25)
                }
            }
        }
        return Self.normalised(out)
    }

    /// Scaled to a peak of 0.9: encoders refuse samples beyond full scale.
    static func normalised(_ samples: [Float]) -> [Float] {
        let peak = samples.map(abs).max() ?? 0
        return peak > 0 ? samples.map { $0 * 0.9 / peak } : samples
    }
}
