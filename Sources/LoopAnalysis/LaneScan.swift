/// Scans of sample buffers eight values at a time, for the analyzers' per-sample
/// passes: one running minimum or sum would make every step wait for the one before.
enum LaneScan {
    /// Each lane's smallest and largest value over the longest prefix of `samples` that is
    /// a multiple of eight long, and that prefix's length. NaNs are passed over.
    static func ranges(_ samples: UnsafeBufferPointer<Float>) -> (lows: SIMD8<Float>, highs: SIMD8<Float>, scanned: Int) {
        var lows = SIMD8<Float>(repeating: .infinity), highs = SIMD8<Float>(repeating: -.infinity)
        guard let base = samples.baseAddress else { return (lows, highs, 0) }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= samples.count {
            let values = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            lows = lows.replacing(with: values, where: values .< lows)
            highs = highs.replacing(with: values, where: values .> highs)
            index += 8
        }
        return (lows, highs, index)
    }
}

extension LaneScan {
    /// The sum of the squares of `samples`.
    static func sumOfSquares(_ samples: UnsafeBufferPointer<Float>) -> Float {
        total(samples) { $0 * $0 } scalar: { $0 * $0 }
    }

    /// The sum of `samples`.
    static func sum(_ samples: UnsafeBufferPointer<Float>) -> Float {
        total(samples) { $0 } scalar: { $0 }
    }

    /// The sum of `term` of every sample, eight lanes at a time.
    @inline(__always)
    private static func total(_ samples: UnsafeBufferPointer<Float>, lanes term: (SIMD8<Float>) -> SIMD8<Float>, scalar scalarTerm: (Float) -> Float) -> Float {
        guard let base = samples.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= samples.count {
            lanes += term(raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self))
            index += 8
        }
        var sum = lanes.sum()
        while index < samples.count {
            sum += scalarTerm(samples[index])
            index += 1
        }
        return sum
    }

    /// How many neighbouring samples differ in sign (zero counting as positive).
    static func signChanges(_ samples: UnsafeBufferPointer<Float>) -> Int {
        guard let base = samples.baseAddress, samples.count > 1 else { return 0 }
        let raw = UnsafeRawPointer(base)
        let zero = SIMD8<Float>()
        var changes = SIMD8<Int32>()
        var index = 1
        while index + 8 <= samples.count {
            let values = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            let before = raw.loadUnaligned(fromByteOffset: (index - 1) * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            changes &+= SIMD8<Int32>().replacing(with: 1, where: (values .>= zero) .^ (before .>= zero))
            index += 8
        }
        var count = Int(changes.wrappedSum())
        while index < samples.count {
            if (samples[index] >= 0) != (samples[index - 1] >= 0) { count += 1 }
            index += 1
        }
        return count
    }
}

