/// A drum pattern as data: which voice hits on which beat of a repeating
/// cycle, how far into the beat, and how hard.
struct DrumGroove {
    enum Voice { case kick, snare, hat }

    struct Hit {
        var voice: Voice
        /// The beat of the cycle the hit belongs to.
        var beat: Int
        /// How far into that beat, as a fraction of it.
        var offset: Double = 0
        var gain: Float
    }

    var beatsPerCycle: Int
    var hits: [Hit]
    /// An open hat (longer, darker noise) instead of a closed one.
    var openHat = false

    /// The hits of `beat` (counted from the loop's start), in the order they are listed.
    func hits(onBeat beat: Int) -> some Sequence<Hit> {
        hits.lazy.filter { $0.beat == beat % beatsPerCycle }
    }
}

extension DrumGroove {
    static func hit(_ voice: Voice, _ beat: Int, at offset: Double = 0, _ gain: Float) -> Hit {
        Hit(voice: voice, beat: beat, offset: offset, gain: gain)
    }

    static let drums = DrumGroove(beatsPerCycle: 2, hits: [
        hit(.kick, 0, 0.8), hit(.hat, 0, 0.25), hit(.hat, 0, at: 0.5, 0.2),
        hit(.snare, 1, 0.8), hit(.hat, 1, 0.25), hit(.hat, 1, at: 0.5, 0.2),
    ])
    static let house = DrumGroove(beatsPerCycle: 2, hits: [
        hit(.kick, 0, 0.8), hit(.hat, 0, at: 0.5, 0.2),
        hit(.kick, 1, 0.8), hit(.snare, 1, 0.5), hit(.hat, 1, at: 0.5, 0.2),
    ], openHat: true)
    static let boomBap = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.8), hit(.hat, 0, 0.2), hit(.hat, 0, at: 0.58, 0.15),
        hit(.kick, 1, at: 0.5, 0.6), hit(.snare, 1, 0.8), hit(.hat, 1, 0.2), hit(.hat, 1, at: 0.58, 0.15),
        hit(.hat, 2, 0.2), hit(.hat, 2, at: 0.58, 0.15),
        hit(.snare, 3, 0.8), hit(.hat, 3, 0.2), hit(.hat, 3, at: 0.58, 0.15),
    ])
    static let twoStep = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.8), hit(.hat, 0, 0.2), hit(.hat, 0, at: 0.5, 0.15),
        hit(.snare, 1, 0.8), hit(.hat, 1, 0.2), hit(.hat, 1, at: 0.5, 0.15),
        hit(.kick, 2, at: 0.5, 0.7), hit(.hat, 2, 0.2), hit(.hat, 2, at: 0.5, 0.15),
        hit(.snare, 3, 0.8), hit(.hat, 3, 0.2), hit(.hat, 3, at: 0.5, 0.15),
    ])
    static let shuffle = DrumGroove(beatsPerCycle: 2, hits: [
        hit(.kick, 0, 0.8), hit(.hat, 0, 0.25), hit(.hat, 0, at: 2.0 / 3, 0.18),
        hit(.snare, 1, 0.8), hit(.hat, 1, 0.25), hit(.hat, 1, at: 2.0 / 3, 0.18),
    ])
    static let dembow = DrumGroove(beatsPerCycle: 2, hits: [
        hit(.kick, 0, 0.8), hit(.snare, 0, at: 0.75, 0.6), hit(.hat, 0, at: 0.5, 0.15),
        hit(.kick, 1, 0.8), hit(.snare, 1, at: 0.5, 0.6), hit(.hat, 1, at: 0.5, 0.15),
    ])
    static let trap = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.9), hit(.hat, 0, 0.22), hit(.hat, 0, at: 0.5, 0.15),
        hit(.kick, 1, at: 0.75, 0.7), hit(.hat, 1, 0.22), hit(.hat, 1, at: 0.5, 0.15),
        hit(.snare, 2, 0.9), hit(.hat, 2, 0.22), hit(.hat, 2, at: 0.5, 0.15),
        hit(.hat, 3, 0.22), hit(.hat, 3, at: 0.25, 0.15), hit(.hat, 3, at: 0.5, 0.15), hit(.hat, 3, at: 0.75, 0.15),
    ])
}
