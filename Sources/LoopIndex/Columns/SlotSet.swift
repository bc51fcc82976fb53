/// A set of row slots as a bitset: the in-memory search combines conditions with word-wide
/// AND, OR and NOT instead of merging id lists.
struct SlotSet: Equatable {
    private(set) var words: [UInt64]
    /// Slots the set can hold: 0..<slotCapacity.
    private(set) var slotCapacity: Int

    /// An empty set of `capacity` slots.
    init(capacity: Int) {
        slotCapacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    func contains(_ slot: Int32) -> Bool {
        let index = Int(slot)
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    mutating func insert(_ slot: Int32) {
        let index = Int(slot)
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    mutating func formIntersection(_ other: SlotSet) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] &= theirs[index] }
            }
        }
    }

    mutating func formUnion(_ other: SlotSet) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] |= theirs[index] }
            }
        }
    }

    /// Removes the slots `other` holds.
    mutating func subtract(_ other: SlotSet) {
        words.withUnsafeMutableBufferPointer { mine in
            other.words.withUnsafeBufferPointer { theirs in
                for index in mine.indices { mine[index] &= ~theirs[index] }
            }
        }
    }

    /// Adds the slots of a bitset's words that may stop short of this set's end.
    mutating func formUnion(prefixWords other: [UInt64]) {
        words.withUnsafeMutableBufferPointer { mine in
            for index in 0..<min(mine.count, other.count) { mine[index] |= other[index] }
        }
    }

    func intersection(_ other: SlotSet) -> SlotSet {
        var copy = self
        copy.formIntersection(other)
        return copy
    }

    func union(_ other: SlotSet) -> SlotSet {
        var copy = self
        copy.formUnion(other)
        return copy
    }

    func subtracting(_ other: SlotSet) -> SlotSet {
        var copy = self
        copy.subtract(other)
        return copy
    }

    /// A set from its words (`words.count` must be `(capacity + 63) / 64`).
    init(words: [UInt64], capacity: Int) {
        self.words = words
        slotCapacity = capacity
    }

    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Calls `body` with each slot in ascending order.
    func forEach(_ body: (Int32) -> Void) {
        words.withUnsafeBufferPointer { words in
            for (index, word) in words.enumerated() where word != 0 {
                var remaining = word
                while remaining != 0 {
                    body(Int32(index * 64 + remaining.trailingZeroBitCount))
                    remaining &= remaining - 1
                }
            }
        }
    }
}

extension SlotSet {
    /// Grows the set by one slot, in it or not.
    mutating func append(_ member: Bool) {
        let slot = slotCapacity
        if slot >> 6 >= words.count { words.append(0) }
        if member { words[slot >> 6] |= 1 << UInt64(slot & 63) }
        slotCapacity += 1
    }

    mutating func remove(_ slot: Int32) {
        let index = Int(slot)
        words[index >> 6] &= ~(1 << UInt64(index & 63))
    }
}
