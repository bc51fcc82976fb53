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
    }

    mutating func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        let scale = 1 / Float(channels)
        for frame in 0..<frames {
            var mono: Float = 0
            for channel in 0..<channels { mono += samples[frame * channels + channel] }
            mono *= scale
            energy += mono * mono
            let edge = mono - previous
            edgeEnergy += edge * edge
            previous = mono
            inHop += 1
            if inHop == hop { closeHop() }
        }
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
