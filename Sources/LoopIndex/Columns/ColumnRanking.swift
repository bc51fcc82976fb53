import Foundation

/// Relevance as the SQL search ranks it: FTS5's bm25 with the name column weighted 4 and the
/// metadata 1, over the query's positive words, computed from the columns' postings with the
/// same statistics and in the same order, so the scores are the same numbers.
struct ColumnRanking {
    indirect enum Node {
        case phrase(Int)
        case and([Node])
        case or([Node])
    }

    var root: Node
    /// Each phrase of the ranking expression in the order FTS5 numbers them.
    var phrases: [(word: String, prefix: Bool)]

    /// The ranking for a query's words outside any NOT (as `QueryCompiler.rankingExpression`); nil when it has none.
    init?(_ query: ColumnQuery) {
        var phrases: [(word: String, prefix: Bool)] = []
        func positive(_ query: ColumnQuery) -> [Node] {
            switch query {
            case let .text(groups, prefix):
                return [.and(groups.map { group in
                    .or(group.map { word in
                        phrases.append((word, prefix))
                        return .phrase(phrases.count - 1)
                    })
                })]
            case let .and(parts): return parts.flatMap(positive)
            case let .or(parts):
                let each = parts.map(positive).filter { !$0.isEmpty }
                return each.isEmpty ? [] : [.or(each.map { .and($0) })]
            default: return []
            }
        }
        let terms = positive(query)
        guard !terms.isEmpty else { return nil }
        root = .and(terms)
        self.phrases = phrases
    }
}

extension ColumnStorage {
    /// The rank of each slot of `candidates` that matches the ranking expression (bm25 negated:
    /// lower is better); slots absent from the result rank 0, as SQL's `coalesce(rank, 0)`.
    func ranks(_ ranking: ColumnRanking, candidates: SlotSet, words: WordSlotsCache) -> [Int32: Double] {
        let phraseSlots = ranking.phrases.map { words.slots($0.word, prefix: $0.prefix, in: self).intersection(alive) }
        func matches(_ node: ColumnRanking.Node) -> SlotSet {
            switch node {
            case let .phrase(index): return phraseSlots[index]
            case let .and(parts): return parts.reduce(alive) { $0.intersection(matches($1)) }
            case let .or(parts): return parts.reduce(SlotSet(capacity: slotCount)) { $0.union(matches($1)) }
            }
        }
        let ranked = matches(ranking.root).intersection(candidates)
        var rankedSlots: [Int32] = []
        ranked.forEach { rankedSlots.append($0) }
        guard !rankedSlots.isEmpty else { return [:] }
        let k1 = 1.2, b = 0.75
        let averageLength = Double(aliveTokens) / Double(aliveRows)
        var scores = [Double](repeating: 0, count: rankedSlots.count)
        var frequency = [Double](repeating: 0, count: rankedSlots.count)
        for (index, phrase) in ranking.phrases.enumerated() {
            let hits = Int64(phraseSlots[index].count)
            var idf = log((Double(Int64(aliveRows) - hits) + 0.5) / (Double(hits) + 0.5))
            if idf <= 0 { idf = 1e-6 }
            for position in frequency.indices { frequency[position] = 0 }
            // Postings and ranked slots are both in slot order: one merge per token.
            for token in tokenIDs(matching: phrase.word, prefix: phrase.prefix) {
                var position = 0
                for posting in postings[Int(token)] {
                    while position < rankedSlots.count, rankedSlots[position] < posting.slot { position += 1 }
                    if position == rankedSlots.count { break }
                    if rankedSlots[position] == posting.slot {
                        frequency[position] += 4.0 * Double(posting.pathHits) + Double(posting.metaHits)
                    }
                }
            }
            for (position, slot) in rankedSlots.enumerated() where frequency[position] > 0 {
                let f = frequency[position]
                let length = Double(tokenCount[Int(slot)])
                scores[position] += idf * ((f * (k1 + 1.0)) / (f + k1 * (1 - b + b * length / averageLength)))
            }
        }
        var ranks: [Int32: Double] = [:]
        ranks.reserveCapacity(rankedSlots.count)
        for (position, slot) in rankedSlots.enumerated() { ranks[slot] = -1.0 * scores[position] }
        return ranks
    }
}
