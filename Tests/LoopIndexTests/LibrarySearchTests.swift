import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopTestSupport
import Testing

/// The query language against a real SQLite index.
@Suite struct LibrarySearchTests {
    let folder = TemporaryDirectory("find")

    struct Sample {
        var path: String
        var bpm: Double? = nil
        var key: String? = nil
        var type: SampleType? = nil
        var duration: Double = 1
        var format = AudioFormat.wav
        var rate = 44100
        var lufs: Double? = nil
        var title: String? = nil
    }

    static let samples: [Sample] = [
        Sample(path: "Drums/Kick_Hard_01.wav", type: .oneShot, duration: 0.4, lufs: -9),
        Sample(path: "Drums/BD Soft.wav", type: .oneShot, duration: 0.6, lufs: -16),
        Sample(path: "Drums/Snare_Tight.flac", type: .oneShot, duration: 0.3, format: .flac, rate: 48000),
        Sample(path: "Loops/House Groove 124.wav", bpm: 124, type: .loop, duration: 7.74, lufs: -11),
        Sample(path: "Loops/Dark Pad Am 120.wav", bpm: 120, key: "Am", type: .loop, duration: 8, lufs: -18, title: "Night Pad"),
        Sample(path: "Loops/Bass_Em_128.wav", bpm: 128, key: "Em", type: .loop, duration: 7.5),
        Sample(path: "Loops/Half Time Beat.wav", bpm: 62, type: .loop, duration: 7.74),
        Sample(path: "Vocals/Vox Chop C.wav", key: "C", type: .loop, duration: 1.2, format: .wav),
        Sample(path: "Vocals/Vocal Phrase Dm.aif", bpm: 100, key: "Dm", type: .loop, duration: 9.6, format: .aiff),
    ]

    func makeStore(_ samples: [Sample] = LibrarySearchTests.samples) throws -> IndexStore {
        let store = try IndexStore(path: folder.path + "/index.sqlite")
        try store.apply(samples.enumerated().map { .store(Self.file($1, inode: UInt64($0 + 1))) })
        return store
    }

    static func file(_ sample: Sample, inode: UInt64) -> AnalysedFile {
        var file = AnalysedFile(path: "/lib/" + sample.path, root: "/lib", stat: FileStat(device: 1, inode: inode, size: 1000, mtimeNs: 1, kind: .regular), analysisVersion: "v")
        var audio = AudioAnalysis(format: sample.format, sampleRate: sample.rate, channels: 2, bitDepth: 16, frames: Int64((sample.duration * Double(sample.rate)).rounded()))
        audio.audioBpm = sample.bpm
        audio.audioBpmConfidence = sample.bpm.map { _ in 0.9 }
        audio.audioKey = sample.key
        audio.audioType = sample.type
        audio.loudnessLufs = sample.lufs
        audio.embedded.title = sample.title
        file.audio = audio
        return file
    }

    func names(_ store: IndexStore, _ query: String, sort: SearchSort? = nil, descending: Bool = false, halfDouble: Bool = false, compatible: Bool = false) async throws -> [String] {
        let result = try await store.find(FindRequest(query: query, sort: sort, descending: descending, limit: 100, halfDoubleTime: halfDouble, compatibleKeys: compatible))
        return result.records.map { ($0.path as NSString).lastPathComponent }
    }

    @Test func wordsArePrefixesWithSynonymsAndPhrases() async throws {
        let store = try makeStore()
        #expect(try await names(store, "kic", sort: .name) == ["BD Soft.wav", "Kick_Hard_01.wav"], "a prefix; BD's automatic tag is kick")
        #expect(try await names(store, "bd", sort: .name) == ["BD Soft.wav", "Kick_Hard_01.wav"], "bd is a kick")
        #expect(try await names(store, "hard", sort: .name) == ["Kick_Hard_01.wav"])
        #expect(try await names(store, "\"dark pad\"") == ["Dark Pad Am 120.wav"])
        #expect(try await names(store, "\"pad dark\"").isEmpty, "a phrase keeps its order")
        #expect(try await names(store, "night") == ["Dark Pad Am 120.wav"], "metadata is searched")
        #expect(try await names(store, "loops house") == ["House Groove 124.wav"], "folders are searched; every word must match")
        #expect(try await names(store, "vox", sort: .name) == ["Vocal Phrase Dm.aif", "Vox Chop C.wav"])
    }

    @Test func fieldsRangesNegationAndOr() async throws {
        let store = try makeStore()
        #expect(try await names(store, "bpm:120..128", sort: .bpm) == ["Dark Pad Am 120.wav", "House Groove 124.wav", "Bass_Em_128.wav"])
        #expect(try await names(store, "bpm:120..128", sort: .bpm, halfDouble: true) == ["Half Time Beat.wav", "Dark Pad Am 120.wav", "House Groove 124.wav", "Bass_Em_128.wav"])
        #expect(try await names(store, "key:8A") == ["Dark Pad Am 120.wav"], "Camelot codes")
        #expect(Set(try await names(store, "key:Am", compatible: true)) == ["Dark Pad Am 120.wav", "Bass_Em_128.wav", "Vox Chop C.wav", "Vocal Phrase Dm.aif"])
        #expect(try await names(store, "type:one-shot dur:<0.5", sort: .duration) == ["Snare_Tight.flac", "Kick_Hard_01.wav"])
        #expect(try await names(store, "lufs:>-14", sort: .loudness) == ["House Groove 124.wav", "Kick_Hard_01.wav"])
        #expect(try await names(store, "format:flac") == ["Snare_Tight.flac"])
        #expect(try await names(store, "format:aif") == ["Vocal Phrase Dm.aif"])
        #expect(try await names(store, "rate:48000") == ["Snare_Tight.flac"])
        #expect(try await names(store, "path:vocals/", sort: .name).count == 2)
        #expect(try await names(store, "type:loop -bpm:100..130", sort: .name) == ["Half Time Beat.wav"])
        #expect(try await names(store, "snare OR vox", sort: .name) == ["Snare_Tight.flac", "Vocal Phrase Dm.aif", "Vox Chop C.wav"])
        #expect(try await names(store, "(kick OR snare) -tag:kick", sort: .name) == ["Snare_Tight.flac"], "tags are the names' instrument words")
        await #expect(throws: QueryError.self) { try await store.find(FindRequest(query: "in:nowhere")) }
        await #expect(throws: QueryError.self) { try await store.find(FindRequest(query: "bpm:fast")) }
        await #expect(throws: QueryError.self) { try await store.find(FindRequest(query: "key:H")) }
    }

    @Test func ordersAreTotalAndReversible() async throws {
        let store = try makeStore()
        let byKey = try await names(store, "key:C OR key:Am OR key:Dm OR key:Em", sort: .key)
        #expect(byKey == ["Vocal Phrase Dm.aif", "Dark Pad Am 120.wav", "Vox Chop C.wav", "Bass_Em_128.wav"], "7A, 8A, 8B, 9A")
        let byBpm = try await names(store, "", sort: .bpm)
        #expect(byBpm.first == "Half Time Beat.wav" && byBpm.suffix(4).allSatisfy { ["Kick_Hard_01.wav", "BD Soft.wav", "Snare_Tight.flac", "Vox Chop C.wav"].contains($0) }, "no tempo comes last")
        let down = try await names(store, "", sort: .bpm, descending: true)
        #expect(down.first == "Bass_Em_128.wav" && down.suffix(4).allSatisfy { !["Half Time Beat.wav"].contains($0) }, "still last when reversed")
        let random1 = try await store.find(FindRequest(sort: .random, seed: 7, limit: 100)).records.map(\.id)
        let random2 = try await store.find(FindRequest(sort: .random, seed: 7, limit: 100)).records.map(\.id)
        let random3 = try await store.find(FindRequest(sort: .random, seed: 8, limit: 100)).records.map(\.id)
        #expect(random1 == random2 && random1 != random3 && Set(random1) == Set(random3))
        #expect(try await names(store, "vocal phrase", sort: nil).first == "Vocal Phrase Dm.aif", "relevance")
    }

    @Test(arguments: [SearchSort.name, .bpm, .key, .random, .added, .duration])
    func pagesNeitherRepeatNorSkipWhileRowsArrive(sort: SearchSort) async throws {
        let store = try makeStore()
        var seen: [Int64] = []
        var request = FindRequest(sort: sort, seed: 3, limit: 2)
        var inserted = 0
        while true {
            let page = try await store.find(request)
            seen += page.records.map(\.id)
            // New rows land between pages, some before the cursor's position.
            inserted += 1
            try store.apply([.store(Self.file(Sample(path: "New/Arrival \(inserted).wav", bpm: Double(60 + inserted * 7), duration: 2), inode: UInt64(100 + inserted)))])
            guard let next = page.next else { break }
            request.cursor = next
        }
        #expect(Set(seen).count == seen.count, "no row twice")
        #expect(Set(1...Int64(Self.samples.count)).isSubset(of: Set(seen)), "every original row once")
        await #expect(throws: QueryError.self) { try await store.find(FindRequest(cursor: "not a cursor")) }
    }

    @Test func facetsCountTheMatchingRows() async throws {
        let store = try makeStore()
        let result = try await store.find(FindRequest(query: "type:loop", limit: 1, facets: true))
        let facets = try #require(result.facets)
        #expect(facets.type == ["loop": 6])
        #expect(facets.bpm == ["60-69": 1, "100-109": 1, "120-129": 3])
        #expect(facets.key == ["Am": 1, "Em": 1, "Dm": 1, "C": 1])
        #expect(facets.format == ["wav": 5, "aiff": 1])
        #expect(facets.folder == ["Loops": 4, "Vocals": 2])
        #expect(facets.tag["vocal"] == 2 && facets.tag["bass"] == 1 && facets.tag["pad"] == 1)
        #expect(result.records.count == 1 && result.next != nil)
    }
}
