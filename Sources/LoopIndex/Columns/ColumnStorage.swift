/// Every `file` row's search fields as columns in memory, addressed by slot.
///
/// A row gets a new slot each time it is stored; its old slot dies. Posting lists therefore
/// only ever grow at their end and stay sorted by slot, and dead slots are dropped by `compact()`
/// once they outnumber the living. Offline rows are kept (not `present`) because the full-text
/// ranking's statistics count them, as SQLite's do.
struct ColumnStorage {
    /// One token's occurrence in a row: hits in the path column and in the metadata column.
    struct Posting {
        var slot: Int32
        var pathHits: UInt16
        var metaHits: UInt16
    }

    private(set) var ids: [Int64] = []
    private(set) var slotOfID: [Int64: Int32] = [:]
    /// Slots of rows that exist (offline ones included).
    private(set) var alive = SlotSet(capacity: 0)
    /// Slots of rows whose files are on disk: what searches return.
    private(set) var present = SlotSet(capacity: 0)

    private(set) var relativePathStart: [Int] = []
    private(set) var relativePathBytes: [UInt8] = []
    private(set) var bpm: [Double] = []
    private(set) var duration: [Double] = []
    private(set) var loudness: [Double] = []
    private(set) var sampleRate: [Double] = []
    private(set) var channels: [Double] = []
    private(set) var bitDepth: [Double] = []
    private(set) var addedAt: [Double] = []
    /// `Int64.min` for no owner.
    private(set) var ownerUid: [Int64] = []
    private(set) var camelot: [UInt32] = []
    private(set) var key: [UInt32] = []
    private(set) var type: [UInt32] = []
    private(set) var format: [UInt32] = []
    private(set) var instruments: [UInt32] = []
    /// The first folder below the root ("" for a file at the root), for the folder facet.
    private(set) var topFolder: [UInt32] = []
    private(set) var camelots = CodeTable()
    private(set) var keys = CodeTable()
    private(set) var types = CodeTable()
    private(set) var formats = CodeTable()
    private(set) var instrumentSets = CodeTable()
    private(set) var topFolders = CodeTable()
    /// Slots per value of the columns filters name most: camelot, type, format and ten-BPM band.
    private(set) var camelotBitmaps = ValueBitmaps()
    private(set) var typeBitmaps = ValueBitmaps()
    private(set) var formatBitmaps = ValueBitmaps()
    private(set) var tempoBandBitmaps = ValueBitmaps()

    /// Tokens in both full-text columns, per slot (the ranking's document length).
    private(set) var tokenCount: [UInt32] = []
    /// Rows and tokens over living slots, for the ranking's averages.
    private(set) var aliveRows = 0
    private(set) var aliveTokens = 0

    private(set) var tokens: [String] = []
    private var tokenIDs: [String: Int32] = [:]
    private(set) var postings: [[Posting]] = []
    /// Token ids by their first one, two and three characters, for prefix look-ups.
    private var tokensByStart: [[String: [Int32]]] = [[:], [:], [:]]

    var slotCount: Int { ids.count }

    /// The relative path's bytes of a slot.
    func relativePath(_ slot: Int32) -> ArraySlice<UInt8> {
        let index = Int(slot)
        let end = index + 1 < relativePathStart.count ? relativePathStart[index + 1] : relativePathBytes.count
        return relativePathBytes[relativePathStart[index]..<end]
    }

    mutating func store(_ row: ColumnRow) {
        remove(id: row.id)
        let slot = Int32(ids.count)
        ids.append(row.id)
        slotOfID[row.id] = slot
        alive.append(true)
        present.append(row.present)
        relativePathStart.append(relativePathBytes.count)
        relativePathBytes.append(contentsOf: row.relativePath)
        bpm.append(row.bpm ?? .nan)
        duration.append(row.duration ?? .nan)
        loudness.append(row.loudness ?? .nan)
        sampleRate.append(row.sampleRate ?? .nan)
        channels.append(row.channels ?? .nan)
        bitDepth.append(row.bitDepth ?? .nan)
        addedAt.append(row.addedAt)
        ownerUid.append(row.ownerUid ?? .min)
        camelot.append(camelots.code(row.camelot))
        key.append(keys.code(row.key))
        type.append(types.code(row.type))
        format.append(formats.code(row.format))
        instruments.append(instrumentSets.code(row.instruments))
        indexValues(of: slot)
        let folderEnd = row.relativePath.firstIndex(of: UInt8(ascii: "/"))
        topFolder.append(topFolders.code(folderEnd.map { String(decoding: row.relativePath[..<$0], as: UTF8.self) } ?? ""))

        var hits: [Int32: Posting] = [:]
        var order: [Int32] = []
        var count = 0
        for (text, isPath) in [(row.pathText, true), (row.metaText, false)] {
            for token in TextTokens.tokens(text) {
                count += 1
                let id = tokenID(token)
                if hits[id] == nil {
                    hits[id] = Posting(slot: slot, pathHits: 0, metaHits: 0)
                    order.append(id)
                }
                if isPath { hits[id]?.pathHits &+= 1 } else { hits[id]?.metaHits &+= 1 }
            }
        }
        for id in order { if let posting = hits[id] { postings[Int(id)].append(posting) } }
        tokenCount.append(UInt32(count))
        aliveRows += 1
        aliveTokens += count
    }

    /// Files a new slot in the value bitmaps.
    private mutating func indexValues(of slot: Int32) {
        let index = Int(slot)
        camelotBitmaps.insert(slot: slot, code: Int(camelot[index]))
        typeBitmaps.insert(slot: slot, code: Int(type[index]))
        formatBitmaps.insert(slot: slot, code: Int(format[index]))
        tempoBandBitmaps.insert(slot: slot, code: TempoBand.code(bpm[index]))
    }

    mutating func remove(id: Int64) {
        guard let slot = slotOfID.removeValue(forKey: id) else { return }
        alive.remove(slot)
        present.remove(slot)
        aliveRows -= 1
        aliveTokens -= Int(tokenCount[Int(slot)])
    }

    private mutating func tokenID(_ token: String) -> Int32 {
        if let id = tokenIDs[token] { return id }
        let id = Int32(tokens.count)
        tokens.append(token)
        tokenIDs[token] = id
        postings.append([])
        let scalars = Array(token.unicodeScalars)
        for length in 1...3 where scalars.count >= length {
            tokensByStart[length - 1][String(String.UnicodeScalarView(scalars[0..<length])), default: []].append(id)
        }
        return id
    }

    /// Ids of the tokens that are `word` (exact) or start with it (prefix), as FTS5's `"word"` and `"word"*` match.
    func tokenIDs(matching word: String, prefix: Bool) -> [Int32] {
        guard prefix else { return tokenIDs[word].map { [$0] } ?? [] }
        let scalars = Array(word.unicodeScalars)
        guard !scalars.isEmpty else { return [] }
        let length = min(scalars.count, 3)
        let candidates = tokensByStart[length - 1][String(String.UnicodeScalarView(scalars[0..<length]))] ?? []
        if scalars.count <= 3 { return candidates }
        return candidates.filter { tokens[Int($0)].utf8.starts(with: word.utf8) }
    }

    /// Drops dead slots and renumbers the living in their order, once dead ones are the majority
    /// and more than `minimumDead`.
    mutating func compactIfWorthwhile(minimumDead: Int) {
        let dead = ids.count - aliveRows
        guard dead > minimumDead, dead > aliveRows else { return }
        var rebuilt = ColumnStorage()
        rebuilt.tokens = tokens
        rebuilt.tokenIDs = tokenIDs
        rebuilt.tokensByStart = tokensByStart
        rebuilt.camelots = camelots
        rebuilt.keys = keys
        rebuilt.types = types
        rebuilt.formats = formats
        rebuilt.instrumentSets = instrumentSets
        rebuilt.topFolders = topFolders
        var newSlot = [Int32](repeating: -1, count: ids.count)
        alive.forEach { slot in
            let old = Int(slot)
            let slotNow = Int32(rebuilt.ids.count)
            newSlot[old] = slotNow
            rebuilt.ids.append(ids[old])
            rebuilt.slotOfID[ids[old]] = slotNow
            rebuilt.alive.append(true)
            rebuilt.present.append(present.contains(slot))
            rebuilt.relativePathStart.append(rebuilt.relativePathBytes.count)
            rebuilt.relativePathBytes.append(contentsOf: relativePath(slot))
            rebuilt.bpm.append(bpm[old])
            rebuilt.duration.append(duration[old])
            rebuilt.loudness.append(loudness[old])
            rebuilt.sampleRate.append(sampleRate[old])
            rebuilt.channels.append(channels[old])
            rebuilt.bitDepth.append(bitDepth[old])
            rebuilt.addedAt.append(addedAt[old])
            rebuilt.ownerUid.append(ownerUid[old])
            rebuilt.camelot.append(camelot[old])
            rebuilt.key.append(key[old])
            rebuilt.type.append(type[old])
            rebuilt.format.append(format[old])
            rebuilt.instruments.append(instruments[old])
            rebuilt.topFolder.append(topFolder[old])
            rebuilt.indexValues(of: slotNow)
            rebuilt.tokenCount.append(tokenCount[old])
        }
        rebuilt.postings = postings.map { list in
            list.compactMap { posting in
                let slot = newSlot[Int(posting.slot)]
                return slot < 0 ? nil : Posting(slot: slot, pathHits: posting.pathHits, metaHits: posting.metaHits)
            }
        }
        rebuilt.aliveRows = aliveRows
        rebuilt.aliveTokens = aliveTokens
        self = rebuilt
    }
}
