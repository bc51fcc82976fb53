import Foundation

/// A compact description of how a sample sounds, for finding similar ones:
/// timbre (MFCC statistics), brightness, noisiness and envelope shape.
///
/// The dimensions have different units, so raw vectors are not compared
/// directly: `SimilaritySpace` scales each dimension by its spread over the
/// library first (z-scores), then measures Euclidean distance.
public struct SimilarityVector: Sendable, Equatable, Codable {
    /// What each value is, in order.
    public static let dimensionNames: [String] =
        (1...13).map { "mfcc\($0)Mean" } + (1...13).map { "mfcc\($0)Std" } + [
            "log2CentroidMean", "log2CentroidStd", "flatnessMean", "log2RolloffMean", "fluxMean", "zeroCrossingRate",
            "log10Attack", "log10EffectiveDuration", "onsetRate", "temporalCentroid",
        ]

    public static var dimensions: Int { dimensionNames.count }

    public var values: [Float]

    /// `values.count` must equal `dimensions`.
    public init?(values: [Float]) {
        guard values.count == Self.dimensions, values.allSatisfy(\.isFinite) else { return nil }
        self.values = values
    }

    /// Little-endian float32s, as stored in the index.
    public var packed: [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    public init?(packed bytes: some Collection<UInt8>) {
        let bytes = Array(bytes)
        guard bytes.count == Self.dimensions * 4 else { return nil }
        let values = stride(from: 0, to: bytes.count, by: 4).map { offset -> Float in
            var bits: UInt32 = 0
            for byte in 0..<4 { bits |= UInt32(bytes[offset + byte]) << (8 * UInt32(byte)) }
            return Float(bitPattern: bits)
        }
        self.init(values: values)
    }
}

/// Distances between similarity vectors, each dimension scaled by its mean
/// and spread over a set of vectors (usually the whole library).
public struct SimilaritySpace: Sendable {
    public let means: [Float]
    public let spreads: [Float]

    public init(_ vectors: [SimilarityVector]) {
        let dimensions = SimilarityVector.dimensions
        var means = [Float](repeating: 0, count: dimensions)
        var spreads = [Float](repeating: 1, count: dimensions)
        if !vectors.isEmpty {
            let count = Float(vectors.count)
            for dimension in 0..<dimensions {
                let mean = vectors.reduce(0) { $0 + $1.values[dimension] } / count
                let variance = vectors.reduce(0) { $0 + ($1.values[dimension] - mean) * ($1.values[dimension] - mean) } / count
                means[dimension] = mean
                // A dimension that never varies must not divide by zero or dominate.
                spreads[dimension] = variance > 1e-12 ? variance.squareRoot() : 1
            }
        }
        self.means = means
        self.spreads = spreads
    }

    /// Euclidean distance between the scaled vectors.
    public func distance(_ a: SimilarityVector, _ b: SimilarityVector) -> Float {
        var sum: Float = 0
        for dimension in 0..<SimilarityVector.dimensions {
            let difference = (a.values[dimension] - b.values[dimension]) / spreads[dimension]
            sum += difference * difference
        }
        return sum.squareRoot()
    }
}
