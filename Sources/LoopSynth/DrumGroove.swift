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

    static let drill = DrumGroove(beatsPerCycle: 8, hits: [
        hit(.kick, 0, 0.9), hit(.hat, 0, 0.2), hit(.hat, 0, at: 1.0 / 3, 0.12), hit(.hat, 0, at: 2.0 / 3, 0.12),
        hit(.hat, 1, 0.2), hit(.kick, 1, at: 0.5, 0.7), hit(.hat, 1, at: 0.5, 0.14),
        hit(.snare, 2, 0.9), hit(.hat, 2, 0.2), hit(.hat, 2, at: 0.5, 0.14),
        hit(.hat, 3, 0.2), hit(.hat, 3, at: 1.0 / 3, 0.12), hit(.hat, 3, at: 2.0 / 3, 0.12), hit(.snare, 3, at: 0.75, 0.5),
        hit(.kick, 4, 0.9), hit(.hat, 4, 0.2), hit(.hat, 4, at: 0.5, 0.14),
        hit(.hat, 5, 0.2), hit(.kick, 5, at: 0.75, 0.7), hit(.hat, 5, at: 0.5, 0.14),
        hit(.snare, 6, 0.9), hit(.hat, 6, 0.2), hit(.hat, 6, at: 1.0 / 3, 0.12), hit(.hat, 6, at: 2.0 / 3, 0.12),
        hit(.hat, 7, 0.2), hit(.hat, 7, at: 0.5, 0.14),
    ])
    static let halfTimeDrumAndBass = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.9), hit(.hat, 0, 0.2), hit(.hat, 0, at: 0.5, 0.15),
        hit(.kick, 1, at: 0.5, 0.6), hit(.hat, 1, 0.2), hit(.hat, 1, at: 0.5, 0.15),
        hit(.snare, 2, 0.9), hit(.hat, 2, 0.2), hit(.hat, 2, at: 0.5, 0.15),
        hit(.hat, 3, 0.2), hit(.kick, 3, at: 0.5, 0.5), hit(.hat, 3, at: 0.5, 0.15),
    ])
    static let lofi = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.8), hit(.hat, 0, 0.18), hit(.hat, 0, at: 0.6, 0.12),
        hit(.snare, 1, 0.7), hit(.hat, 1, 0.18), hit(.hat, 1, at: 0.6, 0.12),
        hit(.kick, 2, 0.7), hit(.kick, 2, at: 0.6, 0.6), hit(.hat, 2, 0.18), hit(.hat, 2, at: 0.6, 0.12),
        hit(.snare, 3, 0.7), hit(.hat, 3, 0.18), hit(.hat, 3, at: 0.6, 0.12),
    ])
    static let lofiShaker = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.8), hit(.kick, 2, 0.7), hit(.kick, 2, at: 0.5, 0.6), hit(.snare, 1, 0.7), hit(.snare, 3, 0.7),
    ] + (0..<4).flatMap { beat in
        [hit(.hat, beat, 0.12), hit(.hat, beat, at: 0.25, 0.08), hit(.hat, beat, at: 0.5, 0.1), hit(.hat, beat, at: 0.75, 0.08)]
    })
    static let afrobeats = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.8), hit(.kick, 1, at: 0.5, 0.6), hit(.kick, 2, 0.8), hit(.kick, 3, at: 0.5, 0.5),
        hit(.snare, 0, at: 0.75, 0.35), hit(.snare, 1, at: 0.5, 0.35), hit(.snare, 2, at: 0.75, 0.35), hit(.snare, 3, 0.35),
    ] + (0..<4).flatMap { beat in
        [hit(.hat, beat, 0.1), hit(.hat, beat, at: 0.25, 0.06), hit(.hat, beat, at: 0.5, 0.1), hit(.hat, beat, at: 0.75, 0.06)]
    })
    static let techno = DrumGroove(beatsPerCycle: 4, hits: (0..<4).flatMap { beat in
        [hit(.kick, beat, 0.9), hit(.hat, beat, at: 0.25, 0.08), hit(.hat, beat, at: 0.5, 0.2), hit(.hat, beat, at: 0.75, 0.08)]
    } + [hit(.snare, 1, 0.4), hit(.snare, 3, 0.4)])
    static let jerseyClub = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.9), hit(.kick, 1, 0.8), hit(.kick, 2, 0.9), hit(.kick, 2, at: 0.5, 0.8), hit(.kick, 3, at: 0.5, 0.8),
        hit(.snare, 1, 0.6), hit(.snare, 3, 0.6),
    ] + (0..<4).flatMap { beat in [hit(.hat, beat, 0.15), hit(.hat, beat, at: 0.5, 0.12)] })
    static let garage = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.85), hit(.kick, 2, at: 0.75, 0.7), hit(.snare, 1, 0.75), hit(.snare, 3, 0.75),
    ] + (0..<4).flatMap { beat in [hit(.hat, beat, 0.15), hit(.hat, beat, at: 2.0 / 3, 0.12)] })

    static let breakbeat = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.85), hit(.kick, 0, at: 0.5, 0.6), hit(.snare, 1, 0.8), hit(.snare, 1, at: 0.75, 0.3),
        hit(.snare, 2, at: 0.25, 0.3), hit(.kick, 2, at: 0.5, 0.7), hit(.snare, 3, 0.8), hit(.snare, 3, at: 0.5, 0.3),
    ] + (0..<4).flatMap { beat in [hit(.hat, beat, 0.18), hit(.hat, beat, at: 0.5, 0.14)] }, openHat: true)
    static let dubstep = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.95), hit(.snare, 2, 0.95), hit(.kick, 3, at: 0.5, 0.5),
    ] + (0..<4).flatMap { beat in [hit(.hat, beat, 0.16), hit(.hat, beat, at: 0.5, 0.12)] })
    static let funk = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.85), hit(.kick, 0, at: 0.75, 0.5), hit(.snare, 1, 0.8), hit(.snare, 1, at: 0.75, 0.2),
        hit(.kick, 2, at: 0.5, 0.7), hit(.snare, 3, 0.8), hit(.snare, 3, at: 0.25, 0.2),
    ] + (0..<4).flatMap { beat in
        [hit(.hat, beat, 0.16), hit(.hat, beat, at: 0.25, 0.09), hit(.hat, beat, at: 0.5, 0.13), hit(.hat, beat, at: 0.75, 0.09)]
    })
    static let hipHopSixteenths = DrumGroove(beatsPerCycle: 4, hits: [
        hit(.kick, 0, 0.85), hit(.kick, 1, at: 0.5, 0.6), hit(.snare, 1, 0.8), hit(.kick, 2, at: 0.25, 0.6), hit(.snare, 3, 0.8),
    ] + (0..<4).flatMap { beat in
        [hit(.hat, beat, 0.2), hit(.hat, beat, at: 0.25, 0.12), hit(.hat, beat, at: 0.5, 0.16), hit(.hat, beat, at: 0.75, 0.12)]
    })
    static let disco = DrumGroove(beatsPerCycle: 4, hits: (0..<4).flatMap { beat in
        [hit(.kick, beat, 0.85), hit(.hat, beat, at: 0.25, 0.07), hit(.hat, beat, at: 0.5, 0.22), hit(.hat, beat, at: 0.75, 0.07)]
    } + [hit(.snare, 1, 0.6), hit(.snare, 3, 0.6)], openHat: true)
}
