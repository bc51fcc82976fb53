import Foundation
import GRDB
import LoopAPI
import LoopCore
@testable import LoopIndex
import LoopTestSupport
import Testing

/// The in-memory columns against the SQL search they stand in for: on a generated library that
/// is then renamed, removed, taken offline, tagged and collected, every query, order and page
/// must give the same rows, cursors and facet counts.
@Suite struct SearchColumnsTests {
    let folder = TemporaryDirectory("columns")

    static let words = ["kick", "bd", "Snare", "hat", "hh", "bass", "pad", "vox", "vocal", "dark", "warm", "Café", "Ünïcode", "808", "sub", "loop", "perc", "Kicker"]
    static let folders = ["Drums", "Loops", "Vocals/Chops", "FX", "Bass Loops", ""]
    static let keys = ["Am", "C", "F#m", "Eb", "Dm", "G", "8A", "Bbm"]

    func makeLibrary(rows: Int, seed: UInt64, compactColumnsAfter: Int = 10_000) async throws -> IndexStore {
        var random = SplitMix(seed: seed)
        let store = try IndexStore(path: folder.path + "/index.sqlite", compactColumnsAfter: compactColumnsAfter)
        var files: [AnalysedFile] = []
        for index in 0..<rows {
            let name = (0..<Int.random(in: 1...3, using: &random)).map { _ in Self.words.randomElement(using: &random) ?? "x" }.joined(separator: Bool.random(using: &random) ? " " : "_")
            let folder = Self.folders.randomElement(using: &random) ?? ""
            let format = ["wav", "flac", "aiff"].randomElement(using: &random) ?? "wav"
            let path = "/lib/" + (folder.isEmpty ? "" : folder + "/") + "\(name) \(index).\(format == "aiff" ? "aif" : format)"
            var file = AnalysedFile(path: path, root: "/lib", stat: FileStat(device: 1, inode: UInt64(index + 1), size: 1000, mtimeNs: 1, kind: .regular), analysisVersion: "v")
            let sampleRate = [44100, 48000, 96000].randomElement(using: &random) ?? 44100
            var audio = AudioAnalysis(
                format: AudioFormat(rawValue: format) ?? .wav, sampleRate: sampleRate, channels: Int.random(in: 1...2, using: &random),
                bitDepth: [16, 24].randomElement(using: &random), frames: Int64(Int.random(in: 1...160, using: &random)) * Int64(sampleRate) / 10
            )
            audio.audioBpm = Int.random(in: 0..<3, using: &random) == 0 ? nil : (Bool.random(using: &random) ? Double(Int.random(in: 60...180, using: &random)) : Double(Int.random(in: 600...1800, using: &random)) / 10)
            audio.audioKey = Int.random(in: 0..<2, using: &random) == 0 ? nil : Self.keys.randomElement(using: &random)
            audio.audioType = [SampleType.loop, .oneShot, nil].randomElement(using: &random) ?? nil
            audio.loudnessLufs = Int.random(in: 0..<4, using: &random) == 0 ? nil : -Double(Int.random(in: 60...300, using: &random)) / 10
            audio.clipLoudnessLufs = audio.loudnessLufs == nil && Bool.random(using: &random) ? -20 : nil
            audio.embedded.title = Int.random(in: 0..<4, using: &random) == 0 ? "Night \(Self.words.randomElement(using: &random) ?? "x")" : nil
            audio.embedded.genre = Int.random(in: 0..<8, using: &random) == 0 ? "Techno" : nil
            // One file in ten could not be decoded: it has no format, length or levels.
            if Int.random(in: 0..<10, using: &random) == 0 {
                file.error = "The file could not be decoded."
            } else {
                file.audio = audio
            }
            files.append(file)
        }
        try store.apply(files.map { .store($0) }, now: Date(timeIntervalSince1970: 1_000_000))
        // Later changes, each refreshing the columns: new analyses, renames, removals, files going offline.
        var later: [IndexOperation] = []
        for (index, file) in files.enumerated() where index % 17 == 0 {
            var changed = file
            changed.audio?.audioBpm = 124
            changed.audio?.embedded.title = "Reworked dark pad"
            later.append(.store(changed))
        }
        for (index, file) in files.enumerated() where index % 23 == 5 {
            later.append(.move(from: file.path, to: "/lib/Moved/Renamed warm \(index).wav", root: "/lib"))
        }
        for (index, file) in files.enumerated() where index % 29 == 3 { later.append(.remove(path: file.path)) }
        later.append(.setOffline(paths: files.enumerated().filter { $0.offset % 31 == 7 }.map(\.element.path)))
        try store.apply(later, now: Date(timeIntervalSince1970: 2_000_000))
        _ = try await store.tag(FileSelection(ids: [2, 6, 8, 16, 32]), add: ["Dark", "keeper"], remove: [], uid: 0)
        _ = try await store.tag(folder: "/lib/Drums", add: ["drumkit"], remove: [])
        _ = try await store.setFavourite(true, FileSelection(ids: [1, 3, 5, 7, 11, 13]), uid: 0)
        _ = try await store.createCollection(name: "Set list", shared: false, uid: 0)
        _ = try await store.changeCollection(name: "Set list", FileSelection(ids: [6, 9, 12, 15]), remove: false, uid: 0, mayChangeShared: true)
        await store.waitUntilSearchColumnsLoaded()
        return store
    }

    static let fixedQueries = [
        "", "kick", "kic", "bd", "hh", "dark kick", "cafe", "unicode", "café", "\"snare\"", "808", "loop bass", "night",
        "bpm:120..128", "bpm:>150", "bpm:<=90", "bpm:124", "bpm:120..130", "bpm:<130", "bpm:>129.9", "bpm:>=130", "bpm:65..69.9", "bpm:1000..", "-bpm:100..140", "key:Am", "key:8A", "-key:C", "type:loop", "type:one-shot",
        "-type:loop", "dur:<2", "dur:2..8", "lufs:>-14", "lufs:<-20", "format:flac", "format:aif", "rate:48000", "channels:1", "bits:24",
        "tag:dark", "tag:drumkit", "tag:kick", "-tag:kick", "tag:keeper OR tag:vocal", "instrument:bass", "fav:yes", "fav:no", "in:\"Set list\"",
        "path:drums/", "path:loops", "name:warm", "-name:warm", "(kick OR snare) -tag:kick", "snare OR vox", "dark OR bpm:>170",
        "bass bpm:120..128 key:Am type:loop", "kick -dark", "-(bpm:100..140 OR key:Am)", "addedby:root", "artist:nobody",
        "warm OR (pad key:Dm)", "NOT kick", "type:loop bpm:120..128",
    ]

    static func randomQueries(_ count: Int, seed: UInt64) -> [String] {
        var random = SplitMix(seed: seed)
        let atoms = ["kick", "dark", "ba", "vox", "bpm:100..140", "bpm:>120", "key:Am", "key:C", "type:loop", "type:one-shot", "dur:<3",
                     "lufs:>-15", "format:wav", "tag:dark", "tag:hat", "fav:yes", "path:loops", "rate:44100", "in:\"Set list\"", "808", "x"]
        func term(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 1 ? 3 : 6), using: &random) {
            case 0, 1: return atoms.randomElement(using: &random) ?? "kick"
            case 2: return "-" + (atoms.randomElement(using: &random) ?? "kick")
            case 3: return "(" + term(depth + 1) + " OR " + term(depth + 1) + ")"
            case 4: return "-(" + term(depth + 1) + " " + term(depth + 1) + ")"
            default: return term(depth + 1) + " " + term(depth + 1)
            }
        }
        return (0..<count).map { _ in term(0) }
    }

    func expectSame(_ store: IndexStore, _ request: FindRequest, _ context: String) async throws {
        let columns = try #require(try await store.findInColumns(request), "the columns answer \(context)")
        let sql = try await store.findInSQL(request)
        #expect(columns.records.map(\.id) == sql.records.map(\.id), "rows of \(context)")
        #expect(columns.next == sql.next, "cursor of \(context)")
        #expect(columns.facets == sql.facets, "facets of \(context)")
    }

    @Test func everyQueryOrderAndPageMatchesTheSQLSearch() async throws {
        let store = try await makeLibrary(rows: 600, seed: 42)
        let queries = Self.fixedQueries + Self.randomQueries(120, seed: 7)
        for query in queries {
            try await expectSame(store, FindRequest(query: query, limit: 25, facets: true), "'\(query)'")
            try await expectSame(store, FindRequest(query: query, limit: 25, halfDoubleTime: true, compatibleKeys: true), "'\(query)' with half/double time and compatible keys")
        }
        for sort in SearchSort.allCases {
            for descending in [false, true] {
                for query in ["", "kick", "dark OR bpm:>150", "-type:loop", "key:Am OR key:C"] {
                    // Page through to the end both ways; each page must agree, and the cursors chain the same.
                    var request = FindRequest(query: query, sort: sort, descending: descending, seed: 5, limit: 40)
                    var pages = 0
                    while true {
                        let context = "'\(query)' by \(sort.rawValue)\(descending ? " descending" : ""), page \(pages + 1)"
                        try await expectSame(store, request, context)
                        guard let next = try await store.findInSQL(request).next else { break }
                        request.cursor = next
                        pages += 1
                    }
                    #expect(pages > 0 || query != "", "the whole library takes several pages")
                }
            }
        }
    }

    @Test func matchingIDsForSimilarWithinAQueryEqualSQL() async throws {
        let store = try await makeLibrary(rows: 300, seed: 17)
        for query in Self.fixedQueries.filter({ !$0.isEmpty }) {
            let (columns, sql) = try await store.pool.read { db in
                let parsed = try LibraryQueryParser().parse(query)
                let compiler = LibraryData.compiler(uid: 0, in: db)
                let condition = try compiler.condition(parsed)
                let sql = try Int64.fetchAll(db, sql: "SELECT id FROM file WHERE missingSince IS NULL AND (\(condition.sql)) ORDER BY id",
                                             arguments: StatementArguments(condition.arguments.map { Optional($0) }))
                return (try ColumnSearch.matchingIDs(parsed, compiler: compiler, columns: store.columns, in: db)?.sorted(), sql)
            }
            #expect(columns == sql, "'\(query)'")
        }
    }

    @Test func writesReachTheColumnsAtCommit() async throws {
        let store = try await makeLibrary(rows: 50, seed: 9)
        #expect(try await store.find(FindRequest(query: "zebra")).records.isEmpty)
        var file = AnalysedFile(path: "/lib/New/Zebra stripes.wav", root: "/lib", stat: FileStat(device: 1, inode: 999, size: 1, mtimeNs: 1, kind: .regular), analysisVersion: "v")
        file.audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 16)
        file.audio?.audioBpm = 99
        try store.apply([.store(file)])
        let found = try #require(try await store.findInColumns(FindRequest(query: "zebra bpm:99")))
        #expect(found.records.map(\.path) == ["/lib/New/Zebra stripes.wav"])
        try store.apply([.move(from: file.path, to: "/lib/New/Horse.wav", root: "/lib")])
        #expect(try await store.findInColumns(FindRequest(query: "zebra"))?.records.isEmpty == true, "the old name is gone")
        #expect(try await store.findInColumns(FindRequest(query: "horse bpm:99"))?.records.count == 1)
        try store.apply([.remove(path: "/lib/New/Horse.wav")])
        #expect(try await store.findInColumns(FindRequest(query: "horse"))?.records.isEmpty == true)
    }

    @Test func manyRewritesCompactTheColumnsAndKeepThemRight() async throws {
        let store = try await makeLibrary(rows: 120, seed: 21, compactColumnsAfter: 300)
        let records = try await store.findInSQL(FindRequest(limit: 1000)).records
        // Each store gives the row a new slot; past 300 dead slots that outnumber the living, the columns compact.
        for round in 0..<5 {
            try store.apply(records.map { record in
                var file = AnalysedFile(path: record.path, root: record.root, stat: FileStat(device: 1, inode: UInt64(record.id), size: 1000, mtimeNs: 1, kind: .regular), analysisVersion: "v")
                var audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 16)
                audio.audioBpm = Double(60 + (round + Int(record.id)) % 120)
                audio.audioKey = Self.keys[(round + Int(record.id)) % Self.keys.count]
                audio.audioType = round % 2 == 0 ? .loop : .oneShot
                audio.embedded.title = "Round \(round)"
                file.audio = audio
                return .store(file)
            })
        }
        let slots = try store.columns.read { $0.slotCount }
        #expect((slots ?? .max) < records.count * 5, "dead slots were dropped")
        for query in ["", "round", "bpm:100..140", "key:Am type:one-shot", "-key:C", "kick OR bpm:>150"] {
            try await expectSame(store, FindRequest(query: query, limit: 30, facets: true), "'\(query)' after compaction")
        }
    }

    @Test func phrasesOfSeveralWordsAreLeftToSQL() async throws {
        let store = try await makeLibrary(rows: 50, seed: 3)
        #expect(try await store.findInColumns(FindRequest(query: "\"night dark\"")) == nil)
        #expect(try await store.findInColumns(FindRequest(query: "tag:a_b")) == nil, "LIKE wildcards")
        let sql = try await store.findInSQL(FindRequest(query: "\"reworked dark\""))
        #expect(try await store.find(FindRequest(query: "\"reworked dark\"")) == sql)
        #expect(!sql.records.isEmpty)
    }

    @Test func aReopenedIndexLoadsTheSameColumns() async throws {
        let store = try await makeLibrary(rows: 200, seed: 11)
        try store.close()
        let reopened = try IndexStore(path: folder.path + "/index.sqlite")
        // The first search starts the load (and is answered by SQL meanwhile); rows written while
        // the columns load are read again once the load is in.
        var late = AnalysedFile(path: "/lib/Late/Written while loading.wav", root: "/lib", stat: FileStat(device: 1, inode: 5000, size: 1, mtimeNs: 1, kind: .regular), analysisVersion: "v")
        late.audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 16)
        late.audio?.audioBpm = 77
        #expect(try await reopened.find(FindRequest(query: "name:\"warm 5.wav\"")).records.count == 1)
        try reopened.apply([.store(late), .remove(path: "/lib/Moved/Renamed warm 5.wav")])
        await reopened.waitUntilSearchColumnsLoaded()
        #expect(try await reopened.findInColumns(FindRequest(query: "written bpm:77"))?.records.count == 1)
        #expect(try await reopened.findInColumns(FindRequest(query: "name:\"warm 5.wav\""))?.records.isEmpty == true, "a row removed while loading")
        for query in ["kick", "dark bpm:120..128", "type:loop", "-key:Am"] {
            try await expectSame(reopened, FindRequest(query: query, limit: 30, facets: true), "'\(query)' after reopening")
        }
    }
}
