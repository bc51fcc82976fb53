import Foundation

/// The K-weighting of ITU-R BS.1770-4 for one channel: a high-shelf
/// ("pre-filter", +4 dB above ~1.7 kHz) then a high-pass ("RLB", ~38 Hz),
/// with the analogue designs mapped to the sample rate as libebur128 maps
/// them, so the two measure the same.
///
/// Two biquads in direct form I rather than libebur128's one fourth-order
/// section, each output's feedback term added last: a sample then waits on
/// one multiply and one add of the sample before, not on four of each, which
/// is most of the speed. Stereo runs both channels side by side in SIMD.
struct KWeightingFilter {
    struct Biquad {
        var b0, b1, b2, a1, a2: Double
    }

    let shelf: Biquad
    let highPass: Biquad
    /// Per channel lane: the last two inputs, shelf outputs and high-pass outputs.
    private var history = History<SIMD2<Double>>()

    struct History<Value: SIMD> where Value.Scalar == Double {
        var x1 = Value(), x2 = Value(), s1 = Value(), s2 = Value(), y1 = Value(), y2 = Value()
    }

    init(sampleRate: Int) {
        let rate = Double(sampleRate)
        // The high shelf: centre frequency, gain and Q of BS.1770's pre-filter.
        var k = tan(Double.pi * 1681.974450955533 / rate)
        var q = 0.7071752369554196
        let vh = pow(10.0, 3.999843853973347 / 20.0)
        let vb = pow(vh, 0.4996667741545416)
        var a0 = 1.0 + k / q + k * k
        shelf = Biquad(
            b0: (vh + vb * k / q + k * k) / a0, b1: 2.0 * (k * k - vh) / a0, b2: (vh - vb * k / q + k * k) / a0,
            a1: 2.0 * (k * k - 1.0) / a0, a2: (1.0 - k / q + k * k) / a0
        )
        // The high-pass: its numerator is (1, -2, 1), unnormalised, as in libebur128.
        k = tan(Double.pi * 38.13547087602444 / rate)
        q = 0.5003270373238773
        a0 = 1.0 + k / q + k * k
        highPass = Biquad(b0: 1, b1: -2, b2: 1, a1: 2.0 * (k * k - 1.0) / a0, a2: (1.0 - k / q + k * k) / a0)
    }

    /// Filters `count` samples `stride` apart from `start` and returns the sum of the squared outputs.
    mutating func sumOfSquares(_ start: UnsafePointer<Float>, count: Int, stride: Int) -> Double {
        let s = shelf, h = highPass
        var x1 = history.x1[0], x2 = history.x2[0], s1 = history.s1[0], s2 = history.s2[0], y1 = history.y1[0], y2 = history.y2[0]
        var sum = 0.0
        var pointer = start
        for _ in 0..<count {
            let x = Double(pointer.pointee)
            pointer += stride
            let shelved = (s.b0 * x + s.b1 * x1 + s.b2 * x2 - s.a2 * s2) - s.a1 * s1
            let y = (h.b0 * shelved + h.b1 * s1 + h.b2 * s2 - h.a2 * y2) - h.a1 * y1
            x2 = x1; x1 = x; s2 = s1; s1 = shelved; y2 = y1; y1 = y
            sum += y * y
        }
        history = Self.flushed(History(x1: [x1, 0], x2: [x2, 0], s1: [s1, 0], s2: [s2, 0], y1: [y1, 0], y2: [y2, 0]))
        return sum
    }

    /// Filters two channels at once: `count` frames of interleaved pairs `stride` apart, each
    /// channel's state in its lane. Returns each channel's sum of squared outputs.
    mutating func sumsOfSquares(pairs start: UnsafePointer<Float>, count: Int, stride: Int) -> SIMD2<Double> {
        let s = shelf, h = highPass
        var state = history
        var sums = SIMD2<Double>()
        var pointer = start
        for _ in 0..<count {
            let x = SIMD2<Double>(Double(pointer[0]), Double(pointer[1]))
            pointer += stride
            let shelved = (s.b0 * x + s.b1 * state.x1 + s.b2 * state.x2 - s.a2 * state.s2) - s.a1 * state.s1
            let y = (h.b0 * shelved + h.b1 * state.s1 + h.b2 * state.s2 - h.a2 * state.y2) - h.a1 * state.y1
            state.x2 = state.x1; state.x1 = x; state.s2 = state.s1; state.s1 = shelved; state.y2 = state.y1; state.y1 = y
            sums += y * y
        }
        history = Self.flushed(state)
        return sums
    }

    /// States that have decayed far below audibility are set to zero: left alone they
    /// would reach subnormal numbers, which cost the CPU a hundred times more (libebur128
    /// flushes them too).
    private static func flushed(_ state: History<SIMD2<Double>>) -> History<SIMD2<Double>> {
        let energy = state.x1 * state.x1 + state.x2 * state.x2 + state.s1 * state.s1 + state.s2 * state.s2 + state.y1 * state.y1 + state.y2 * state.y2
        return energy.max() < 1e-60 ? History() : state
    }
}
