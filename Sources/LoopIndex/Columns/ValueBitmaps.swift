import LoopCore

/// One bitset of slots per value code of a column: a filter on a few values reads a few
/// sequential bitsets instead of the column at every candidate row (which at a million rows
/// costs a cache miss per row).
struct ValueBitmaps {
    private(set) var bitmaps: [[UInt64]] = []

    mutating func insert(slot: Int32, code: Int) {
        if bitmaps.count <= code { bitmaps.append(contentsOf: repeatElement([], count: code + 1 - bitmaps.count)) }
        let word = Int(slot) >> 6
        if bitmaps[code].count <= word { bitmaps[code].append(contentsOf: repeatElement(0, count: word + 1 - bitmaps[code].count)) }
        bitmaps[code][word] |= 1 << UInt64(Int(slot) & 63)
    }

    /// The slots holding any of the codes (dead slots included; callers intersect with a domain).
    func slots(withAnyOf codes: some Sequence<Int>, capacity: Int) -> SlotSet {
        var set = SlotSet(capacity: capacity)
        for code in codes where code < bitmaps.count { set.formUnion(prefixWords: bitmaps[code]) }
        return set
    }
}

/// Ten-BPM bands of the tempo column, for `ValueBitmaps`: 0 for no tempo, 1...100 for
/// 0-9.99 ... 990-999.99, and 101 for anything else.
enum TempoBand {
    static let none = 0
    static let outside = 101

    static func code(_ bpm: Double) -> Int {
        guard !bpm.isNaN else { return none }
        let band = (bpm / 10).rounded(.down)
        return band >= 0 && band < 100 ? Int(band) + 1 : outside
    }

    /// Whether every tempo filed under band `code` passes, none does, or it must be checked row by row.
    /// The band is widened a little, so values rounded into a neighbouring band are still covered.
    static func verdict(_ code: Int, _ range: NumericRange, factors: [Double]) -> Bool? {
        guard code != none, code != outside else { return nil }
        let lower = Double(code - 1) * 10 - 0.001, upper = Double(code) * 10 + 0.001
        var allPass = false, anyMayPass = false
        for factor in factors {
            let low = lower * factor, high = upper * factor
            let belowLower = range.lower.map { range.lowerInclusive ? high < $0 : high <= $0 } ?? false
            let aboveUpper = range.upper.map { range.upperInclusive ? low > $0 : low >= $0 } ?? false
            if !(belowLower || aboveUpper) { anyMayPass = true }
            let lowerHolds = range.lower.map { range.lowerInclusive ? low >= $0 : low > $0 } ?? true
            let upperHolds = range.upper.map { range.upperInclusive ? high <= $0 : high < $0 } ?? true
            if lowerHolds && upperHolds { allPass = true }
        }
        if allPass { return true }
        return anyMayPass ? nil : false
    }
}
