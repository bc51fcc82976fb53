import LoopCore

/// Evaluates a prepared query with SQL's NULL rules, over the slots of a domain only: an AND
/// narrows the domain part by part (the words first), so a field is tested on the rows the text
/// left rather than on every row. Where only the true rows are asked for (no NOT above), the
/// false ones are not worked out.
extension ColumnStorage {
    /// The slots the query matches among the present ones.
    func matches(_ query: ColumnQuery, words: WordSlotsCache) -> SlotSet {
        truth(query, in: present, needFalse: false, words: words).yes
    }

    /// The query's truth within `domain` (both sets are subsets of it); `no` is empty unless `needFalse`.
    func truth(_ query: ColumnQuery, in domain: SlotSet, needFalse: Bool, words: WordSlotsCache) -> Truth {
        let empty = SlotSet(capacity: slotCount)
        switch query {
        case .all:
            return Truth(yes: domain, no: empty)
        case let .text(groups, prefix):
            let matched = textMatch(groups, prefix: prefix, words: words).intersection(domain)
            return Truth(yes: matched, no: needFalse ? domain.subtracting(matched) : empty)
        case let .range(column, range, halfDoubleTime):
            let values = numericColumn(column)
            // -1 for NULL, 0 false, 1 true.
            let anyBound = range.lower != nil || range.upper != nil
            if !anyBound { return classify(values, in: domain) { $0.isNaN ? 0 : 1 } }
            // Half and double time apply to tempo only (see `ColumnQuery.prepare`).
            if column == .bpm { return tempoTruth(range, factors: halfDoubleTime ? [1.0, 2.0, 0.5] : [1.0], in: domain) }
            return classify(values, in: domain) { $0.isNaN ? -1 : (range.contains($0) ? 1 : 0) }
        case let .coded(column, values):
            let (table, bitmaps) = codedColumn(column)
            let codes = table.values.indices.filter { code in table.values[code].map(values.contains) ?? false }
            let yes = bitmaps.slots(withAnyOf: codes, capacity: slotCount).intersection(domain)
            guard needFalse else { return Truth(yes: yes, no: empty) }
            let null = bitmaps.slots(withAnyOf: [0], capacity: slotCount)
            return Truth(yes: yes, no: domain.subtracting(yes).subtracting(null))
        case let .instrument(words):
            let outcome: [Int8] = instrumentSets.values.map { set in set.map { Self.holdsWord($0, words) ? 1 : 0 } ?? -1 }
            return classify(instruments, in: domain) { outcome[Int($0)] }
        case let .ownerUid(owner):
            return classify(ownerUid, in: domain) { $0 == .min ? -1 : ($0 == owner ? 1 : 0) }
        case let .relativePath(value, anywhere):
            let needle = Array(value.utf8)
            let separated = [UInt8(ascii: "/")] + needle
            return classify(Array(0..<Int32(slotCount)), in: domain) { slot in
                let path = relativePath(slot)
                if anywhere { return Self.asciiCaseInsensitiveFind(needle, in: path) ? 1 : 0 }
                return Self.asciiCaseInsensitiveStarts(path, with: needle) || Self.asciiCaseInsensitiveFind(separated, in: path) ? 1 : 0
            }
        case let .ids(yes, no):
            let yesSet = slots(of: yes).intersection(domain)
            guard needFalse else { return Truth(yes: yesSet, no: empty) }
            return Truth(yes: yesSet, no: no.map { slots(of: $0).intersection(domain) } ?? domain.subtracting(yesSet))
        case let .tag(ids, automatic):
            let tagged = slots(of: ids)
            let automaticTruth = truth(.instrument(automatic), in: domain, needFalse: needFalse, words: words)
            return Truth(yes: automaticTruth.yes.union(tagged.intersection(domain)), no: automaticTruth.no.subtracting(tagged))
        case let .not(inner):
            let truth = truth(inner, in: domain, needFalse: true, words: words)
            return Truth(yes: truth.no, no: truth.yes)
        case let .and(parts):
            guard needFalse else {
                // Each part only looks at what the parts before it left.
                var candidates = domain
                for part in parts.sorted(by: { Self.cost($0) < Self.cost($1) }) {
                    candidates = truth(part, in: candidates, needFalse: false, words: words).yes
                }
                return Truth(yes: candidates, no: empty)
            }
            var result = Truth(yes: domain, no: empty)
            for part in parts {
                let truth = truth(part, in: domain, needFalse: true, words: words)
                result.yes.formIntersection(truth.yes)
                result.no.formUnion(truth.no)
            }
            return result
        case let .or(parts):
            guard needFalse else {
                // A row one part matched needs no other part tested.
                var matched = empty
                for part in parts { matched.formUnion(truth(part, in: domain.subtracting(matched), needFalse: false, words: words).yes) }
                return Truth(yes: matched, no: empty)
            }
            var result = Truth(yes: empty, no: domain)
            for part in parts {
                let truth = truth(part, in: domain, needFalse: true, words: words)
                result.yes.formUnion(truth.yes)
                result.no.formIntersection(truth.no)
            }
            return result
        }
    }

    /// Which parts of an AND go first: those answered from lists (words, ids) narrow the rest cheaply.
    private static func cost(_ query: ColumnQuery) -> Int {
        switch query {
        case .all, .ids, .text: 0
        case .tag, .range, .coded, .instrument, .ownerUid: 1
        case .and, .or: 2
        case .relativePath: 3
        case .not: 4
        }
    }

    /// Slots holding the words: every group matched by one of its words.
    func textMatch(_ groups: [[String]], prefix: Bool, words: WordSlotsCache) -> SlotSet {
        var result = alive
        for group in groups {
            var any = SlotSet(capacity: slotCount)
            for word in group { any.formUnion(words.slots(word, prefix: prefix, in: self)) }
            result.formIntersection(any)
        }
        return result
    }

    /// Slots (living or not) whose text has the word, or a token starting with it; see `WordSlotsCache`.
    func wordSlots(_ word: String, prefix: Bool) -> SlotSet {
        var set = SlotSet(capacity: slotCount)
        for token in tokenIDs(matching: word, prefix: prefix) {
            for posting in postings[Int(token)] { set.insert(posting.slot) }
        }
        return set
    }

    /// Splits the domain's slots by a column's values: `outcome` is -1 for NULL, 0 for false, 1 for true.
    /// A plain loop over the column, building the sets a word (64 slots) at a time.
    @inline(__always)
    private func classify<Value>(_ column: [Value], in domain: SlotSet, _ outcome: (Value) -> Int8) -> Truth {
        let wordCount = domain.words.count
        var yes = [UInt64](repeating: 0, count: wordCount), no = [UInt64](repeating: 0, count: wordCount)
        column.withUnsafeBufferPointer { values in
            domain.words.withUnsafeBufferPointer { domain in
                for word in 0..<wordCount where domain[word] != 0 {
                    var yesBits: UInt64 = 0, noBits: UInt64 = 0
                    let base = word * 64
                    if domain[word] == ~0 {
                        for offset in 0..<64 {
                            let result = outcome(values[base + offset])
                            if result > 0 { yesBits |= 1 << UInt64(offset) } else if result == 0 { noBits |= 1 << UInt64(offset) }
                        }
                    } else {
                        var remaining = domain[word]
                        while remaining != 0 {
                            let offset = remaining.trailingZeroBitCount
                            let result = outcome(values[base + offset])
                            if result > 0 { yesBits |= 1 << UInt64(offset) } else if result == 0 { noBits |= 1 << UInt64(offset) }
                            remaining &= remaining - 1
                        }
                    }
                    yes[word] = yesBits
                    no[word] = noBits
                }
            }
        }
        return Truth(yes: SlotSet(words: yes, capacity: slotCount), no: SlotSet(words: no, capacity: slotCount))
    }

    private func slots(of ids: [Int64]) -> SlotSet {
        var set = SlotSet(capacity: slotCount)
        for id in ids { if let slot = slotOfID[id] { set.insert(slot) } }
        return set
    }

    func numericColumn(_ column: ColumnQuery.NumericColumn) -> [Double] {
        switch column {
        case .bpm: bpm
        case .duration: duration
        case .loudness: loudness
        case .sampleRate: sampleRate
        case .channels: channels
        case .bitDepth: bitDepth
        }
    }

    private func codedColumn(_ column: ColumnQuery.CodedColumn) -> (CodeTable, ValueBitmaps) {
        switch column {
        case .camelot: (camelots, camelotBitmaps)
        case .type: (types, typeBitmaps)
        case .format: (formats, formatBitmaps)
        }
    }

    /// A tempo range from the band bitmaps: bands wholly inside are taken as they are, and only
    /// rows in bands the range cuts through (or outside the banded tempos) are compared one by one.
    private func tempoTruth(_ range: NumericRange, factors: [Double], in domain: SlotSet) -> Truth {
        var yes = SlotSet(capacity: slotCount), unsure = SlotSet(capacity: slotCount)
        for code in 1...TempoBand.outside {
            switch TempoBand.verdict(code, range, factors: factors) {
            case true?: yes.formUnion(prefixWords: code < tempoBandBitmaps.bitmaps.count ? tempoBandBitmaps.bitmaps[code] : [])
            case nil: unsure.formUnion(prefixWords: code < tempoBandBitmaps.bitmaps.count ? tempoBandBitmaps.bitmaps[code] : [])
            case false?: break
            }
        }
        yes.formIntersection(domain)
        let checked = classify(bpm, in: unsure.intersection(domain)) { value in
            value.isNaN ? -1 : (factors.contains { range.contains(value * $0) } ? 1 : 0)
        }
        yes.formUnion(checked.yes)
        let null = tempoBandBitmaps.slots(withAnyOf: [TempoBand.none], capacity: slotCount)
        return Truth(yes: yes, no: domain.subtracting(yes).subtracting(null))
    }

    /// `(',' || set || ',') LIKE '%,word,%'` for any of the words, as SQLite's LIKE compares (ASCII case-insensitive).
    static func holdsWord(_ set: String, _ words: [String]) -> Bool {
        let haystack = Array(("," + set + ",").utf8)
        return words.contains { asciiCaseInsensitiveFind(Array(("," + $0 + ",").utf8), in: haystack[...]) }
    }

    static func asciiCaseInsensitiveStarts(_ text: ArraySlice<UInt8>, with prefix: [UInt8]) -> Bool {
        guard text.count >= prefix.count else { return false }
        var index = text.startIndex
        for byte in prefix {
            if lower(text[index]) != lower(byte) { return false }
            index += 1
        }
        return true
    }

    static func asciiCaseInsensitiveFind(_ needle: [UInt8], in text: ArraySlice<UInt8>) -> Bool {
        guard !needle.isEmpty else { return true }
        guard text.count >= needle.count else { return false }
        let first = lower(needle[0])
        var start = text.startIndex
        let last = text.endIndex - needle.count
        while start <= last {
            if lower(text[start]) == first, asciiCaseInsensitiveStarts(text[start...], with: needle) { return true }
            start += 1
        }
        return false
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }
}

/// The slots of each word one search looks up, so the filter and the ranking walk a word's
/// postings once between them.
final class WordSlotsCache {
    private var sets: [String: SlotSet] = [:]

    func slots(_ word: String, prefix: Bool, in storage: ColumnStorage) -> SlotSet {
        let key = (prefix ? "*" : "=") + word
        if let known = sets[key] { return known }
        let set = storage.wordSlots(word, prefix: prefix)
        sets[key] = set
        return set
    }
}
