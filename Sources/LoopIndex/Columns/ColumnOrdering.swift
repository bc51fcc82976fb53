import GRDB
import LoopAPI
import LoopCore

/// The SQL search's orders (see `LibrarySearch.sortKeys`) over slots: the same keys, missing
/// values last, ties broken by id, and cursors holding the same values, so paging reads alike.
struct ColumnOrdering {
    /// A slot's place: up to three numbers, then text (the lower-cased name), then the id.
    struct Key {
        var first = 0.0, second = 0.0, third = 0.0
        var text: ArraySlice<UInt8> = []
        var id: Int64
    }

    let sort: SearchSort
    let descending: Bool
    let seed: Int
    let ranks: [Int32: Double]

    init(sort: SearchSort, requestedDescending: Bool, seed: Int, ranks: [Int32: Double]) {
        self.sort = sort
        // As the SQL search: newest first is what "added" means; relevance and random only run one way.
        descending = sort == .added ? !requestedDescending : (sort == .relevance || sort == .random ? false : requestedDescending)
        self.seed = seed
        self.ranks = ranks
    }

    /// The key of a slot.
    func key(_ slot: Int32, in storage: ColumnStorage) -> Key {
        let index = Int(slot)
        let id = storage.ids[index]
        func missingFlag(_ isMissing: Bool) -> Double { (descending ? !isMissing : isMissing) ? 1 : 0 }
        func nullable(_ value: Double) -> Key {
            Key(first: missingFlag(value.isNaN), second: value.isNaN ? 0 : value, id: id)
        }
        switch sort {
        case .relevance: return Key(first: ranks[slot] ?? 0, id: id)
        case .name: return Key(text: storage.relativePath(slot), id: id)
        case .bpm: return nullable(storage.bpm[index])
        case .duration: return nullable(storage.duration[index])
        case .loudness: return nullable(storage.loudness[index])
        case .added: return Key(first: storage.addedAt[index], id: id)
        case .random: return Key(first: Double(Self.randomOrder(id: id, seed: seed)), id: id)
        case .key:
            guard let camelot = storage.camelots.value(storage.camelot[index]) else { return Key(first: missingFlag(true), id: id) }
            let (number, letter) = Self.camelotParts(camelot)
            return Key(first: missingFlag(false), second: Double(number), third: Double(letter.first ?? 0), id: id)
        }
    }

    /// Whether `a` comes before `b`.
    func precedes(_ a: Key, _ b: Key) -> Bool {
        let order = Self.compare(a, b)
        return descending ? order > 0 : order < 0
    }

    static func compare(_ a: Key, _ b: Key) -> Int {
        if a.first != b.first { return a.first < b.first ? -1 : 1 }
        if a.second != b.second { return a.second < b.second ? -1 : 1 }
        if a.third != b.third { return a.third < b.third ? -1 : 1 }
        // lower() in SQLite folds ASCII only; BINARY compares bytes.
        var left = a.text.startIndex, right = b.text.startIndex
        while left < a.text.endIndex, right < b.text.endIndex {
            let x = ColumnStorage.lower(a.text[left]), y = ColumnStorage.lower(b.text[right])
            if x != y { return x < y ? -1 : 1 }
            left += 1
            right += 1
        }
        if a.text.count != b.text.count { return a.text.count < b.text.count ? -1 : 1 }
        return a.id == b.id ? 0 : (a.id < b.id ? -1 : 1)
    }

    /// The cursor's values for a slot, typed as SQL would return them.
    func cursorValues(_ slot: Int32, in storage: ColumnStorage) -> [DatabaseValue] {
        let index = Int(slot)
        let key = key(slot, in: storage)
        func flag() -> DatabaseValue { Int64(key.first).databaseValue }
        func nullable(_ value: Double) -> [DatabaseValue] { [flag(), value.isNaN ? Int64(0).databaseValue : value.databaseValue] }
        var values: [DatabaseValue]
        switch sort {
        case .relevance: values = [ranks[slot].map(\.databaseValue) ?? Int64(0).databaseValue]
        case .name: values = [String(decoding: key.text.map(ColumnStorage.lower), as: UTF8.self).databaseValue]
        case .bpm: values = nullable(storage.bpm[index])
        case .duration: values = nullable(storage.duration[index])
        case .loudness: values = nullable(storage.loudness[index])
        case .added: values = [storage.addedAt[index].databaseValue]
        case .random: values = [Self.randomOrder(id: key.id, seed: seed).databaseValue]
        case .key:
            let parts: (number: Int64, letter: [UInt8]) = storage.camelots.value(storage.camelot[index]).map(Self.camelotParts) ?? (0, [])
            values = [flag(), parts.number.databaseValue, String(decoding: parts.letter, as: UTF8.self).databaseValue]
        }
        return values + [key.id.databaseValue]
    }

    /// A cursor's values as a key; nil when they do not fit this order.
    func key(cursor values: [any DatabaseValueConvertible]) -> Key? {
        func number(_ value: any DatabaseValueConvertible) -> Double? {
            if let integer = value as? Int64 { return Double(integer) }
            return value as? Double
        }
        guard let id = values.last as? Int64 else { return nil }
        let leading = values.dropLast()
        switch sort {
        case .name:
            guard let text = leading.first as? String else { return nil }
            return Key(text: ArraySlice(text.utf8), id: id)
        case .key:
            guard leading.count == 3, let flag = number(leading[0]), let camelot = number(leading[1]), let letter = leading[2] as? String else { return nil }
            return Key(first: flag, second: camelot, third: Double(letter.utf8.first ?? 0), id: id)
        default:
            let numbers = leading.compactMap(number)
            guard numbers.count == leading.count, !numbers.isEmpty else { return nil }
            return Key(first: numbers[0], second: numbers.count > 1 ? numbers[1] : 0, id: id)
        }
    }

    /// SQLite's `CAST(substr(camelot, 1, length(camelot) - 1) AS INTEGER)` and `substr(camelot, -1)`.
    static func camelotParts(_ camelot: String) -> (number: Int64, letter: [UInt8]) {
        let scalars = Array(camelot.unicodeScalars)
        guard let last = scalars.last else { return (0, []) }
        let digits = scalars.dropLast().prefix { $0.properties.numericType == .decimal && $0.isASCII }
        return (Int64(String(String.UnicodeScalarView(digits))) ?? 0, Array(String(last).utf8))
    }

    /// The same seeded hash of the id the SQL random order computes.
    static func randomOrder(id: Int64, seed: Int) -> Int64 {
        let offset = Int64((seed & 0x7FFF_FFFF) * 40503 % 2_147_483_648)
        let modulus: Int64 = 2_147_483_648
        let start = ((id + offset) % modulus * 1_103_515_245 + 12345) % modulus
        let first = (start ^ (start >> 15)) * 1_664_525 % modulus
        return first ^ (first >> 13)
    }
}
