/// The kinds of music the generated packs hold, each with the tempos
/// producers make it at and the drum groove it uses.
public enum PackStyle: String, CaseIterable, Sendable {
    case house, techno, boomBap, lofi, trap, drill, drumAndBass, breakbeat, dembow, garage, trance, futureBass, pop, ambient

    /// Integer tempos, as packs label them.
    public var tempos: ClosedRange<Int> {
        switch self {
        case .house: 118...128
        case .techno: 125...140
        case .boomBap: 84...98
        case .lofi: 68...88
        case .trap: 130...160
        case .drill: 138...146
        case .drumAndBass: 168...178
        case .breakbeat: 120...136
        case .dembow: 88...100
        case .garage: 128...136
        case .trance: 134...142
        case .futureBass: 140...160
        case .pop: 96...124
        case .ambient: 70...110
        }
    }

    /// Swing of the off sixteenths or eighths, as a fraction of the pair (0.5 is straight).
    var swing: ClosedRange<Double> {
        switch self {
        case .boomBap, .lofi: 0.56...0.64
        case .garage: 0.58...0.66
        case .house, .dembow: 0.5...0.55
        default: 0.5...0.52
        }
    }

    /// Kick, snare and hat positions in beats within one bar of four, as the style plays them.
    var groove: (kick: [Double], snare: [Double], hats: [Double], hatStep: Double) {
        switch self {
        case .house, .techno, .trance: ([0, 1, 2, 3], [1, 3], [0.5, 1.5, 2.5, 3.5], 0.25)
        case .garage: ([0, 1.75, 2.5], [1, 3], [0.5, 1.5, 2.5, 3.5], 0.25)
        case .boomBap, .lofi: ([0, 1.75, 2.5], [1, 3], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], 0.5)
        case .trap, .futureBass: ([0, 1.75, 3.5], [2], [], 0.25)
        case .drill: ([0, 2.75], [1.5, 3.5], [], 1.0 / 3)
        case .drumAndBass: ([0, 2.5], [1, 3], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], 0.5)
        case .breakbeat: ([0, 1.5, 2.5], [1, 3], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], 0.5)
        case .dembow: ([0, 1, 2, 3], [0.75, 1.5, 2.75, 3.5], [0.5, 1.5, 2.5, 3.5], 0.5)
        case .pop, .ambient: ([0, 2], [1, 3], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], 0.5)
        }
    }

    /// Whether hats run on every step, with rolls (trap, drill, future bass).
    var hatRolls: Bool { [.trap, .drill, .futureBass].contains(self) }
}
