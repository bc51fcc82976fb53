/// An autocorrelation of the onset envelope, one value per whole lag.
protocol Autocorrelation {
    /// Lag 0 first, normalised so it is 1.
    var values: [Float] { get }
}

extension Autocorrelation {
    /// The value at a fractional lag, interpolated; 0 beyond the lags computed.
    func value(atLag lag: Double) -> Float {
        guard lag >= 0, Int(lag) + 1 < values.count else { return 0 }
        let below = Int(lag)
        let fraction = Float(lag - Double(below))
        return values[below] * (1 - fraction) + values[below + 1] * fraction
    }
}

/// The circular autocorrelation of a sequence (a loop repeats: its end runs
/// into its start), normalised so lag 0 is 1, read at fractional lags.
struct CircularAutocorrelation: Autocorrelation {
    let values: [Float]

    /// Only lags up to `maxLag` are computed: the cost is the sequence's length times that.
    init(_ sequence: [Float], maxLag: Int) {
        let mean = sequence.reduce(0, +) / Float(max(sequence.count, 1))
        let centred = sequence.map { $0 - mean }
        let count = centred.count
        var values = [Float](repeating: 0, count: min(count, maxLag + 2))
        centred.withUnsafeBufferPointer { centred in
            for lag in values.indices {
                // The products within the sequence, then those that wrap round its end: no division per product.
                var sum: Float = 0
                for index in 0..<(count - lag) { sum += centred[index] * centred[index + lag] }
                for index in (count - lag)..<count { sum += centred[index] * centred[index + lag - count] }
                values[lag] = sum
            }
        }
        let zero = values.first ?? 0
        self.values = zero > 0 ? values.map { $0 / zero } : values
    }
}

/// The autocorrelation of a sequence that does not wrap round (a clip with a tail), each lag's
/// sum divided by the pairs it has, normalised so lag 0 is 1; read at fractional lags and searched
/// for peaks with sub-lag precision.
struct LinearAutocorrelation: Autocorrelation {
    let values: [Float]

    var lagCount: Int { values.count }

    /// Lags up to `maxLag`: the cost is the sequence's length times that.
    init(_ sequence: [Float], maxLag: Int) {
        let count = sequence.count
        let mean = sequence.reduce(0, +) / Float(max(count, 1))
        let centred = sequence.map { $0 - mean }
        var values = [Float](repeating: 0, count: max(0, min(count, maxLag + 1)))
        centred.withUnsafeBufferPointer { centred in
            for lag in values.indices {
                var sum: Float = 0
                for index in 0..<(count - lag) { sum += centred[index] * centred[index + lag] }
                values[lag] = sum / Float(count - lag)
            }
        }
        let zero = values.first ?? 0
        self.values = zero > 0 ? values.map { $0 / zero } : values
    }

    /// The highest local maximum among `lags`, placed between lags by the parabola through it
    /// and its neighbours; nil when there is none.
    func strongestPeak(in lags: ClosedRange<Int>) -> Double? {
        let first = max(lags.lowerBound, 1), last = min(lags.upperBound, values.count - 2)
        guard first <= last else { return nil }
        let peaks = (first...last).filter { values[$0] > values[$0 - 1] && values[$0] >= values[$0 + 1] }
        guard let best = peaks.max(by: { values[$0] < values[$1] }) else { return nil }
        let left = Double(values[best - 1]), centre = Double(values[best]), right = Double(values[best + 1])
        let curvature = left - 2 * centre + right
        let offset = curvature < 0 ? 0.5 * (left - right) / curvature : 0
        return Double(best) + max(-0.5, min(0.5, offset))
    }
}
