import LoopCore

/// What one generated sample plays.
public enum PackContent: String, Sendable, CaseIterable {
    /// Loops.
    case drums, bass, chords, arpeggio, melody, keysAndBass, fullMix
    /// One-shots.
    case drumHit, bassHit, chordStab

    public var isLoop: Bool { ![.drumHit, .bassHit, .chordStab].contains(self) }
    /// Whether it has a key (loops) or a root note (one-shots).
    public var isTonal: Bool { ![.drums, .drumHit].contains(self) }
    var hasDrums: Bool { [.drums, .fullMix].contains(self) }
}

/// Writes the score of a sample: the notes of its tonal and drum layers,
/// kept apart so production can duck one under the other.
struct PackScore {
    var tonal: MIDISequence
    var drums: MIDISequence

    static let minorScale = [0, 2, 3, 5, 7, 8, 10]
    static let majorScale = [0, 2, 4, 5, 7, 9, 11]
    /// Chord progressions as scale degrees, one chord per change; the major "vi IV I V" starts on the relative minor.
    static let minorProgressions = [[0, 5, 2, 6], [0, 3, 4, 0], [0, 6, 5, 6], [0, 3, 6, 2], [0, 0, 5, 4]]
    static let majorProgressions = [[0, 4, 5, 3], [0, 3, 4, 3], [5, 3, 0, 4], [0, 5, 3, 4], [0, 3, 0, 4]]
    /// General MIDI programs by part.
    static let chordPrograms = [0, 4, 5, 16, 19, 48, 49, 50, 88, 89, 90, 24]
    static let bassPrograms = [32, 33, 34, 35, 38, 39, 87]
    static let leadPrograms = [8, 10, 11, 12, 46, 80, 81, 82, 84, 98, 13, 25]

    static func compose(
        content: PackContent, style: PackStyle, bpm: Double, bars: Int, key: MusicalKey, rootNote: Int, rng: inout SplitMix
    ) -> PackScore {
        var tonal = MIDISequence(bpm: bpm), drums = MIDISequence(bpm: bpm)
        let beats = Double(bars * 4)
        let scale = key.isMinor ? minorScale : majorScale
        let progression = (key.isMinor ? minorProgressions : majorProgressions).randomElement(using: &rng) ?? [0]
        // Fast music changes chord each bar or two; slow music may change twice a bar.
        let beatsPerChord: Double = bpm >= 150 ? [4.0, 8.0].randomElement(using: &rng)! : (bpm < 95 ? [2.0, 4.0].randomElement(using: &rng)! : 4)
        let swing = Double.random(in: style.swing, using: &rng)
        let humanise = Double.random(in: 0...0.012, using: &rng) * bpm / 60
        func chord(at beat: Double) -> [Int] {
            let degree = progression[Int(beat / beatsPerChord) % progression.count]
            return [0, 2, 4].map { step in
                let index = degree + step
                return scale[index % 7] + 12 * (index / 7)
            }
        }
        func timed(_ beat: Double) -> Double {
            // Swing moves the off-eighth (and off-sixteenth) later; humanising moves every note a little.
            let fraction = beat - beat.rounded(.down)
            var moved = beat
            if abs(fraction - 0.5) < 1e-6 { moved += (swing - 0.5) }
            if abs(fraction - 0.25) < 1e-6 || abs(fraction - 0.75) < 1e-6 { moved += (swing - 0.5) / 2 }
            return max(0, moved + Double.random(in: -humanise...humanise, using: &rng))
        }
        let tonic = key.pitchClass
        switch content {
        case .chords, .keysAndBass, .fullMix:
            let program = chordPrograms.randomElement(using: &rng)!
            tonal.programs[0] = program
            let layered = Bool.random(using: &rng)
            if layered { tonal.programs[2] = chordPrograms.randomElement(using: &rng)! }
            let stabs = Bool.random(using: &rng)
            var beat = 0.0
            while beat < beats {
                let notes = chord(at: beat).map { 48 + tonic + $0 }
                let hits: [(Double, Double)] = stabs
                    ? [(0, 0.4), (0.75, 0.4), (1.5, 0.4), (2.5, 0.4), (3, 0.6)].filter { $0.0 < beatsPerChord }
                    : [(0, beatsPerChord - 0.1)]
                for (offset, length) in hits {
                    let velocity = Int.random(in: 70...105, using: &rng)
                    for note in notes {
                        tonal.notes.append(.init(channel: 0, key: note, velocity: velocity, start: timed(beat + offset), length: length))
                        if layered { tonal.notes.append(.init(channel: 2, key: note + 12, velocity: velocity - 20, start: timed(beat + offset), length: length)) }
                    }
                }
                beat += beatsPerChord
            }
            if content != .chords { addBass(to: &tonal, channel: 1) }
        case .bass:
            addBass(to: &tonal, channel: 1)
        case .arpeggio:
            tonal.programs[0] = leadPrograms.randomElement(using: &rng)!
            let step = bpm >= 140 ? 0.5 : 0.25
            let shape = [[0, 1, 2, 1], [0, 1, 2, 3], [2, 1, 0, 1], [0, 2, 1, 2]].randomElement(using: &rng)!
            var beat = 0.0, index = 0
            while beat < beats - 1e-9 {
                let tones = chord(at: beat)
                let tone = shape[index % shape.count]
                let pitch = 60 + tonic + (tone < 3 ? tones[tone] : tones[0] + 12)
                tonal.notes.append(.init(channel: 0, key: pitch, velocity: Int.random(in: 70...110, using: &rng), start: timed(beat), length: step * 0.8))
                beat += step
                index += 1
            }
        case .melody:
            tonal.programs[0] = leadPrograms.randomElement(using: &rng)!
            var beat = 0.0, degree = 7
            while beat < beats - 1e-9 {
                // A walk on the scale that leans on chord tones and comes home to the tonic each phrase.
                let length = [0.5, 0.5, 1, 1, 1.5, 2].randomElement(using: &rng)!
                let phraseEnd = (beat + length).truncatingRemainder(dividingBy: 8) < length
                degree = phraseEnd ? 7 : max(2, min(13, degree + Int.random(in: -2...2, using: &rng)))
                if Double.random(in: 0...1, using: &rng) > 0.15 {
                    let pitch = 60 + tonic + scale[degree % 7] + 12 * (degree / 7) - 12
                    tonal.notes.append(.init(channel: 0, key: pitch, velocity: Int.random(in: 75...110, using: &rng), start: timed(beat), length: min(length, beats - beat) * 0.9))
                }
                beat += length
            }
        case .drums, .drumHit, .bassHit, .chordStab:
            break
        }
        if content.hasDrums { addDrums(to: &drums) }
        switch content {
        case .drumHit:
            let note = [36, 35, 38, 40, 39, 42, 46, 49, 51, 45, 50, 54, 56, 69, 70, 75].randomElement(using: &rng)!
            drums.notes.append(.init(channel: 9, key: note, velocity: Int.random(in: 100...127, using: &rng), start: 0, length: 0.25))
        case .bassHit:
            tonal.programs[1] = bassPrograms.randomElement(using: &rng)!
            tonal.notes.append(.init(channel: 1, key: rootNote, velocity: Int.random(in: 95...127, using: &rng), start: 0, length: Double.random(in: 0.5...2, using: &rng) * bpm / 60))
        case .chordStab:
            tonal.programs[0] = chordPrograms.randomElement(using: &rng)!
            for note in chord(at: 0) { tonal.notes.append(.init(channel: 0, key: 60 + tonic + note, velocity: 110, start: 0, length: 0.5 * bpm / 60)) }
        default:
            break
        }
        return PackScore(tonal: tonal, drums: drums)

        func addBass(to sequence: inout MIDISequence, channel: Int) {
            sequence.programs[channel] = bassPrograms.randomElement(using: &rng)!
            let pattern: [(Double, Double)] = [
                [(0, 0.45), (0.5, 0.45), (1, 0.45), (1.5, 0.45), (2, 0.45), (2.5, 0.45), (3, 0.45), (3.5, 0.45)],
                [(0.5, 0.4), (1.5, 0.4), (2.5, 0.4), (3.5, 0.4)],
                [(0, 1.5), (1.75, 0.5), (2.5, 1.4)],
                [(0, 3.8)],
                [(0, 0.7), (0.75, 0.2), (1.5, 0.45), (2.5, 0.7), (3.25, 0.45)],
            ].randomElement(using: &rng)!
            // C2 or C1 plus the tonic: the bass plays in the key it is labelled with.
            let octave = Bool.random(using: &rng) ? 36 : 24
            var bar = 0.0
            while bar < beats {
                for (offset, length) in pattern where bar + offset < beats {
                    let root = chord(at: bar + offset)[0]
                    let jump = length < 0.5 && Int.random(in: 0..<4, using: &rng) == 0 ? 12 : 0
                    sequence.notes.append(.init(channel: channel, key: octave + tonic + root + jump, velocity: Int.random(in: 85...120, using: &rng), start: timed(bar + offset), length: length))
                }
                bar += 4
            }
        }

        func addDrums(to sequence: inout MIDISequence) {
            let groove = style.groove
            let kick = [36, 35].randomElement(using: &rng)!, snare = [38, 40, 39].randomElement(using: &rng)!
            let hat = [42, 44, 70].randomElement(using: &rng)!
            for bar in 0..<bars {
                let start = Double(bar * 4)
                for beat in groove.kick { sequence.notes.append(.init(channel: 9, key: kick, velocity: Int.random(in: 105...127, using: &rng), start: timed(start + beat), length: 0.25)) }
                for beat in groove.snare { sequence.notes.append(.init(channel: 9, key: snare, velocity: Int.random(in: 100...125, using: &rng), start: timed(start + beat), length: 0.25)) }
                if style.hatRolls {
                    var beat = 0.0
                    while beat < 4 - 1e-9 {
                        let roll = Int.random(in: 0..<8, using: &rng) == 0
                        let step = roll ? groove.hatStep / 2 : groove.hatStep
                        sequence.notes.append(.init(channel: 9, key: 42, velocity: Int.random(in: 60...100, using: &rng), start: timed(start + beat), length: 0.1))
                        beat += step
                    }
                } else {
                    for beat in groove.hats { sequence.notes.append(.init(channel: 9, key: hat, velocity: Int.random(in: 70...100, using: &rng), start: timed(start + beat), length: 0.1)) }
                    var sixteenth = 0.25
                    while groove.hatStep < 0.5, sixteenth < 4 {
                        sequence.notes.append(.init(channel: 9, key: 42, velocity: Int.random(in: 35...60, using: &rng), start: timed(start + sixteenth), length: 0.05))
                        sixteenth += 0.5
                    }
                }
            }
        }
    }
}
