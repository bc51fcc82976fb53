/// Keeps every decoded sample within what the analyzers can add up: a NaN or
/// infinity becomes silence and a value beyond `limit` is held at it, so a
/// float file with one stray value yields an analysis (with a note, see
/// `AnalysisError.repairedSamples`) rather than non-finite results that cannot be stored.
struct SampleGuard {
    /// 60 dB above full scale: far louder than any real float file, small enough
    /// that sums of squares over hours of audio stay finite in `Float`.
    static let limit: Float = 1024

    private(set) var nonFinite = 0
    private(set) var clamped = 0

    /// Repairs `samples` in place. The common case, every value in range, costs
    /// one vector comparison per eight samples.
    mutating func repair(_ samples: UnsafeMutableBufferPointer<Float>) {
        guard !Self.allInRange(UnsafeBufferPointer(samples)) else { return }
        for index in samples.indices {
            let value = samples[index]
            if !value.isFinite {
                samples[index] = 0
                nonFinite += 1
            } else if abs(value) > Self.limit {
                samples[index] = value < 0 ? -Self.limit : Self.limit
                clamped += 1
            }
        }
    }

    /// True when no value is NaN, infinite or beyond the limit. NaN fails every comparison.
    private static func allInRange(_ samples: UnsafeBufferPointer<Float>) -> Bool {
        guard let base = samples.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let limit = SIMD8<Float>(repeating: Self.limit)
        var inRange = SIMDMask<SIMD8<Int32>>(repeating: true)
        var index = 0
        while index + 8 <= samples.count {
            let values = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
            // `.<=` on a NaN lane is false, so the mask catches NaN as well as large values.
            inRange .&= (values.replacing(with: -values, where: values .< 0)) .<= limit
            index += 8
        }
        while index < samples.count {
            if !(abs(samples[index]) <= Self.limit) { return false }
            index += 1
        }
        return all(inRange)
    }
}
