import LoopCore

/// Similarity vectors by file, packed side by side, with running sums per dimension for the
/// spreads. A removed file's place is taken by the last one, so nothing is ever compacted.
struct SimilarityStorage {
    private(set) var ids: [Int64] = []
    /// `ids.count * dimensions` values, as stored.
    private var values: [Float] = []
    private var positions: [Int64: Int] = [:]
    private var sums = [Double](repeating: 0, count: SimilarityVector.dimensions)
    private var squares = [Double](repeating: 0, count: SimilarityVector.dimensions)

    mutating func store(_ id: Int64, _ vector: SimilarityVector) {
        let dimensions = SimilarityVector.dimensions
        guard vector.values.count == dimensions else { return }
        remove(id)
        positions[id] = ids.count
        ids.append(id)
        values.append(contentsOf: vector.values)
        for dimension in 0..<dimensions {
            let value = Double(vector.values[dimension])
            sums[dimension] += value
            squares[dimension] += value * value
        }
    }

    mutating func remove(_ id: Int64) {
        guard let position = positions.removeValue(forKey: id) else { return }
        let dimensions = SimilarityVector.dimensions
        for dimension in 0..<dimensions {
            let value = Double(values[position * dimensions + dimension])
            sums[dimension] -= value
            squares[dimension] -= value * value
        }
        let last = ids.count - 1
        if position != last {
            ids[position] = ids[last]
            positions[ids[position]] = position
            for dimension in 0..<dimensions { values[position * dimensions + dimension] = values[last * dimensions + dimension] }
        }
        ids.removeLast()
        values.removeLast(dimensions)
    }

    /// 1 / spread² per dimension, the spread as `SimilaritySpace` takes it (1 where a dimension never varies).
    var weights: [Float] {
        let count = Double(ids.count)
        return (0..<SimilarityVector.dimensions).map { dimension in
            guard count > 0 else { return 1 }
            let mean = sums[dimension] / count
            let variance = max(0, squares[dimension] / count - mean * mean)
            return variance > 1e-12 ? Float(1 / variance) : 1
        }
    }

    func nearest(to fileID: Int64, allowed: Set<Int64>?, limit: Int) -> [(Int64, Float)]? {
        guard let target = positions[fileID] else { return nil }
        let dimensions = SimilarityVector.dimensions
        let weights = self.weights
        var best: [(distance: Float, id: Int64)] = []
        best.reserveCapacity(limit + 1)
        values.withUnsafeBufferPointer { values in
            weights.withUnsafeBufferPointer { weights in
                let origin = target * dimensions
                for position in 0..<ids.count where position != target {
                    let id = ids[position]
                    if let allowed, !allowed.contains(id) { continue }
                    let base = position * dimensions
                    var sum: Float = 0
                    for dimension in 0..<dimensions {
                        let difference = values[base + dimension] - values[origin + dimension]
                        sum += difference * difference * weights[dimension]
                    }
                    // Keep the best `limit`, sorted; most candidates fail the first comparison.
                    if best.count == limit, let worst = best.last, (sum, id) >= (worst.distance, worst.id) { continue }
                    let slot = best.firstIndex { ($0.distance, $0.id) > (sum, id) } ?? best.count
                    best.insert((sum, id), at: slot)
                    if best.count > limit { best.removeLast() }
                }
            }
        }
        return best.map { ($0.id, $0.distance.squareRoot()) }
    }
}
