import Foundation

/// Onset strength every 10 ms: how much the RMS level rose, over the whole
/// band and (weighted less) over a first difference, which catches the clicks
/// of percussion with little low end.
/// RMS rather than a logarithm keeps accents: a kick outweighs a hi-hat, as
/// the ear hears it, which is what places the beat.
struct OnsetEnvelope {
    let hop: Int
    let hopSeconds: Double
    private(set) var strengths: [Float] = []
    /// The part of each strength from the first-difference band: what makes a snare brighter than a kick.
    private(set) var brightStrengths: [Float] = []
    /// Mean square per hop, for the loudness contour.
    private(set) var levels: [Float] = []

    private let channels: Int
    /// Mixes blocks of more than one channel down (a box of one frame: no decimation).
    private var mixer: MonoDecimator
    private var inHop = 0
    private var energy: Float = 0
    private var edgeEnergy: Float = 0
    private var previous: Float = 0
    private var lastLevel: Float = 0
    private var lastEdgeLevel: Float = 0

    init(sampleRate: Int, channels: Int) {
        hop = max(1, sampleRate / 100)
        hopSeconds = Double(hop) / Double(max(sampleRate, 1))
        self.channels = max(channels, 1)
        mixer = MonoDecimator(channels: channels, decimation: 1)
    }

    mutating func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        guard frames > 0 else { return }
        if channels == 1 {
            consumeMono(UnsafeBufferPointer(rebasing: samples.prefix(frames)))
        } else {
            let made = mixer.run(samples, frames: frames)
            let mono = mixer.output
            mono.withUnsafeBufferPointer { consumeMono(UnsafeBufferPointer(rebasing: $0.prefix(made))) }
        }
    }

    private mutating func consumeMono(_ mono: UnsafeBufferPointer<Float>) {
        let frames = mono.count
        var done = 0
        while done < frames {
            let count = min(frames - done, hop - inHop)
            let (squares, edges) = Self.energies(UnsafeBufferPointer(rebasing: mono[done..<(done + count)]), previous: previous)
            energy += squares
            edgeEnergy += edges
            previous = mono[done + count - 1]
            inHop += count
            done += count
            if inHop == hop { closeHop() }
        }
    }

    /// Sums of squares of the samples and of their first differences (from `previous`), eight at
    /// a time: one running sum would make every addition wait for the one before.
    static func energies(_ mono: UnsafeBufferPointer<Float>, previous: Float) -> (squares: Float, edges: Float) {
        guard let base = mono.baseAddress, !mono.isEmpty else { return (0, 0) }
        let first = mono[0] - previous
        var squares = mono[0] * mono[0], edges = first * first
        var index = 1
        if mono.count >= 9 {
            let raw = UnsafeRawPointer(base)
            var squareLanes = SIMD8<Float>(), edgeLanes = SIMD8<Float>()
            while index + 8 <= mono.count {
                let values = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
                let before = raw.loadUnaligned(fromByteOffset: (index - 1) * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
                let differences = values - before
                squareLanes += values * values
                edgeLanes += differences * differences
                index += 8
            }
            squares += squareLanes.sum()
            edges += edgeLanes.sum()
        }
        while index < mono.count {
            let difference = mono[index] - mono[index - 1]
            squares += mono[index] * mono[index]
            edges += difference * difference
            index += 1
        }
        return (squares, edges)
    }

    private mutating func closeHop() {
        let count = Float(inHop)
        let level = (energy / count).squareRoot()
        let edgeLevel = (edgeEnergy / count).squareRoot()
        // The edge band counts for less: it would make a hi-hat weigh like a kick.
        let bright = 0.5 * max(0, edgeLevel - lastEdgeLevel)
        strengths.append(max(0, level - lastLevel) + bright)
        brightStrengths.append(bright)
        levels.append(energy / count)
        lastLevel = level
        lastEdgeLevel = edgeLevel
        energy = 0
        edgeEnergy = 0
        inHop = 0
    }
}
