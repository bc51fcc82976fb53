import GRDB
import LoopCore
import Synchronization

/// The library's similarity vectors in memory, each dimension already scaled
/// by its spread, in one flat array: a brute-force nearest search over a
/// million sounds is then a single pass. Rebuilt on the first search after
/// the index changed.
final class SimilarityIndex: Sendable {
    private struct Built: Sendable {
        var generation: UInt64
        var ids: [Int64]
        /// `ids.count * dimensions` scaled values.
        var values: [Float]
        var positions: [Int64: Int]
    }

    private let built = Mutex<Built?>(nil)

    /// The `limit` nearest files to `fileID` (among `allowed` when given), with distances; nil when `fileID` has no vector.
    func nearest(to fileID: Int64, allowed: Set<Int64>?, limit: Int, generation: UInt64, in db: Database) throws -> [(Int64, Float)]? {
        let index = try current(generation: generation, db: db)
        guard let target = index.positions[fileID] else { return nil }
        let dimensions = SimilarityVector.dimensions
        var best: [(distance: Float, position: Int)] = []
        best.reserveCapacity(limit + 1)
        index.values.withUnsafeBufferPointer { values in
            let origin = target * dimensions
            for position in 0..<index.ids.count where position != target {
                if let allowed, !allowed.contains(index.ids[position]) { continue }
                let base = position * dimensions
                var sum: Float = 0
                for dimension in 0..<dimensions {
                    let difference = values[base + dimension] - values[origin + dimension]
                    sum += difference * difference
                }
                // Keep the best `limit`, sorted; most candidates fail the first comparison.
                if best.count == limit, let worst = best.last, sum >= worst.distance { continue }
                let slot = best.firstIndex { $0.distance > sum } ?? best.count
                best.insert((sum, position), at: slot)
                if best.count > limit { best.removeLast() }
            }
        }
        return best.map { (index.ids[$0.position], $0.distance.squareRoot()) }
    }

    private func current(generation: UInt64, db: Database) throws -> Built {
        if let ready = built.withLock({ $0 }), ready.generation == generation { return ready }
        let vectors = try SimilarityReads.vectors(in: db)
        let space = SimilaritySpace(vectors.map(\.vector))
        let dimensions = SimilarityVector.dimensions
        var values = [Float](repeating: 0, count: vectors.count * dimensions)
        var positions: [Int64: Int] = [:]
        positions.reserveCapacity(vectors.count)
        for (position, entry) in vectors.enumerated() {
            positions[entry.fileID] = position
            for dimension in 0..<dimensions {
                values[position * dimensions + dimension] = (entry.vector.values[dimension] - space.means[dimension]) / space.spreads[dimension]
            }
        }
        let fresh = Built(generation: generation, ids: vectors.map(\.fileID), values: values, positions: positions)
        built.withLock { $0 = fresh }
        return fresh
    }
}
