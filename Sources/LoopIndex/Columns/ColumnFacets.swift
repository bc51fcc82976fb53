import Foundation
import GRDB
import LoopAPI
import LoopCore

/// Facet counts over the matching slots, as `LibrarySearch.facets` counts them in SQL.
extension ColumnStorage {
    /// User and folder tags as (lower-cased tag, file id) pairs, read before the columns are locked;
    /// nil when there are none (then only the automatic tags count, one per mention, as in SQL).
    static func facetTagPairs(in db: Database) throws -> [(tag: String, id: Int64)]? {
        let hasUserTags = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM userTag) OR EXISTS (SELECT 1 FROM folderTag)") ?? false
        guard hasUserTags else { return nil }
        return try Row.fetchAll(db, sql: """
            SELECT lower(tag), fileId FROM userTag
            UNION ALL
            SELECT lower(folderTag.tag), file.id FROM folderTag JOIN file ON file.path >= folderTag.folder || '/' AND file.path < folderTag.folder || '0'
            """).map { (tag: $0[0], id: $0[1]) }
    }

    func facets(of matched: SlotSet, tagPairs: [(tag: String, id: Int64)]?) -> SearchFacets {
        // Counted by code in arrays; turned into strings once per distinct value.
        var keyCounts = [Int](repeating: 0, count: keys.values.count), typeCounts = [Int](repeating: 0, count: types.values.count)
        var formatCounts = [Int](repeating: 0, count: formats.values.count), instrumentCounts = [Int](repeating: 0, count: instrumentSets.values.count)
        var folderCounts = [Int](repeating: 0, count: topFolders.values.count)
        var bands = [Int64: Int]()
        matched.forEach { slot in
            let index = Int(slot)
            keyCounts[Int(key[index])] += 1
            typeCounts[Int(type[index])] += 1
            formatCounts[Int(format[index])] += 1
            instrumentCounts[Int(instruments[index])] += 1
            folderCounts[Int(topFolder[index])] += 1
            if !bpm[index].isNaN { bands[Int64(bpm[index] / 10), default: 0] += 1 }
        }
        func strings(_ counts: [Int], _ table: CodeTable) -> [String: Int] {
            // Code 0 is NULL, which no facet counts.
            Dictionary(counts.enumerated().compactMap { code, count in count > 0 ? table.value(UInt32(code)).map { ($0, count) } : nil }) { first, _ in first }
        }
        var facets = SearchFacets()
        facets.total = matched.count
        facets.key = strings(keyCounts, keys)
        facets.type = strings(typeCounts, types)
        facets.format = strings(formatCounts, formats)
        facets.bpm = Dictionary(bands.map { ("\($0.key * 10)-\($0.key * 10 + 9)", $0.value) }) { first, _ in first }
        facets.folder = strings(folderCounts, topFolders)
        if let tagPairs {
            // Each file counts once per tag, however it has it.
            var holders: [String: Set<Int32>] = [:]
            // SQL splits the automatic tags with json_each, which keeps empty parts.
            var words: [UInt32: [String]] = [:]
            for (code, count) in instrumentCounts.enumerated() where count > 0 {
                words[UInt32(code)] = instrumentSets.value(UInt32(code))?.components(separatedBy: ",") ?? []
            }
            matched.forEach { slot in
                for word in words[instruments[Int(slot)]] ?? [] { holders[word, default: []].insert(slot) }
            }
            for (tag, id) in tagPairs {
                if let slot = slotOfID[id], matched.contains(slot) { holders[tag, default: []].insert(slot) }
            }
            facets.tag = holders.mapValues(\.count)
        } else {
            for (code, count) in instrumentCounts.enumerated() where count > 0 {
                for tag in (instrumentSets.value(UInt32(code)) ?? "").split(separator: ",") { facets.tag[String(tag), default: 0] += count }
            }
        }
        return facets
    }
}
