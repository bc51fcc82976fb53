import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopTestSupport
import Testing

@Suite struct IndexStoreTests {
    let folder = TemporaryDirectory("index")

    func makeStore() throws -> IndexStore {
        try IndexStore(path: folder.path + "/index.sqlite")
    }

    func file(_ path: String, inode: UInt64 = 1, format: AudioFormat = .wav, duration: Double = 1) -> AnalysedFile {
        var audio = AudioAnalysis(format: format, sampleRate: 44100, channels: 2, bitDepth: 16, frames: Int64((duration * 44100).rounded()))
        audio.waveform = Waveform(samplesPerPoint: 256, sampleRate: 44100, minimums: [-5, -7], maximums: [5, 7])
        return AnalysedFile(
            path: path, root: "/lib", stat: FileStat(device: 1, inode: inode, size: 100, mtimeNs: 5, kind: .regular), analysisVersion: "v1",
            hash: String(repeating: "a", count: 64), audio: audio
        )
    }

    @Test func storesAndReadsBack() async throws {
        let store = try makeStore()
        try store.apply([.store(file("/lib/drums/Kick 01.wav"))])
        let record = try #require(try await store.record(path: "/lib/drums/Kick 01.wav"))
        #expect(record.format == .wav)
        #expect(record.duration == 1)
        #expect(record.bpm == nil)
        #expect(try await store.waveform(fileID: record.id)?.maximums == [5, 7])
        #expect(FileManager.default.fileExists(atPath: folder.path + "/index.sqlite-wal"), "the index runs in WAL mode")
    }

    /// Every fact the analysis gives reaches the record through its column (a field without a
    /// column or migration would come back null).
    @Test func everyAnalysedFieldIsStoredAndReadBack() async throws {
        let store = try makeStore()
        var stored = file("/lib/Loops/Full 124.wav", duration: 8 * 60 / 124)
        var audio = try #require(stored.audio)
        audio.peakDb = -0.5
        audio.peakPosition = 1.25
        audio.rmsDb = -14
        audio.truePeakDb = 0.2
        audio.dcOffset = 0.001
        audio.clippedSamples = 3
        audio.leadingSilence = 0.01
        audio.trailingSilence = 0.02
        audio.loudnessLufs = -12
        audio.loudnessRangeLu = 5
        audio.clipLoudnessLufs = -11
        audio.embedded = EmbeddedMetadata()
        audio.embedded.title = "Title"
        audio.embedded.artist = "Artist"
        audio.embedded.genre = "Genre"
        audio.embedded.comment = "Comment"
        audio.embedded.loopPoints = [10...20]
        audio.embedded.cuePoints = [5, 15]
        audio.embedded.description = "Description"
        audio.embedded.originator = "Originator"
        audio.embedded.originated = "2026-01-02 03:04:05"
        stored.audio = audio
        try store.apply([.store(stored)])
        let record = try #require(try await store.record(path: stored.path))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any])
        for field in SampleRecord.fields where field.source == .analysis {
            #expect(!(object[field.name] is NSNull), "\(field.name) was not stored or not read back")
        }
        #expect(record.peakPosition == 1.25 && record.loopStart == 10 && record.loopEnd == 20 && record.cuePoints == [5, 15])
        #expect(record.clipLoudnessLufs == -11 && record.originated == "2026-01-02 03:04:05" && record.format == .wav)
    }

    @Test func restoringKeepsIdAndAddedTime() async throws {
        let store = try makeStore()
        try store.apply([.store(file("/lib/a.wav"))], now: Date(timeIntervalSince1970: 100))
        var changed = file("/lib/a.wav", duration: 2)
        changed.error = "broken"
        changed.audio?.waveform = nil
        try store.apply([.store(changed)], now: Date(timeIntervalSince1970: 200))
        let record = try #require(try await store.record(path: "/lib/a.wav"))
        #expect(record.id == 1)
        #expect(record.addedAt == 100)
        #expect(record.analyzedAt == 200)
        #expect(record.error == "broken")
        #expect(try await store.waveform(fileID: 1) == nil)
    }

    @Test func movesKeepTheRow() async throws {
        let store = try makeStore()
        try store.apply([.store(file("/lib/old/a.wav", inode: 1)), .store(file("/lib/old/sub/b.wav", inode: 2)), .store(file("/lib/oldish.wav", inode: 3))])
        try store.apply([.move(from: "/lib/oldish.wav", to: "/lib/renamed.wav", root: "/lib")])
        try store.apply([.moveTree(from: "/lib/old", to: "/lib/new", root: "/lib")])
        let paths = try await store.search(SearchQuery(limit: nil)).map(\.path)
        #expect(paths == ["/lib/new/a.wav", "/lib/new/sub/b.wav", "/lib/renamed.wav"])
        #expect(try await store.record(path: "/lib/new/sub/b.wav")?.id == 2)
        #expect(try await store.record(path: "/lib/renamed.wav")?.id == 3)
    }

    @Test func treeOperationsHandleNonASCIINames() async throws {
        let store = try makeStore()
        try store.apply([.store(file("/lib/Café Drums/Kick é.wav", inode: 1)), .store(file("/lib/Café Drums/sub/Hat.wav", inode: 2))])
        try store.apply([.moveTree(from: "/lib/Café Drums", to: "/lib/Müsli Perkussion", root: "/lib")])
        #expect(try await store.search(SearchQuery(limit: nil)).map(\.path) == ["/lib/Müsli Perkussion/Kick é.wav", "/lib/Müsli Perkussion/sub/Hat.wav"])
        #expect(try await store.search(SearchQuery(text: "perkussion kick")).count == 1, "the relative path follows the move")
        #expect(try await store.search(SearchQuery(text: "lib")).isEmpty)
        try store.apply([.removeTree(directory: "/lib/Müsli Perkussion/sub")])
        #expect(try await store.totals().files == 1)
    }

    @Test func chunkFieldsAndSimilarityVectorsAreStored() async throws {
        let store = try makeStore()
        var tagged = file("/lib/take.wav", inode: 1, duration: 8 * 60 / 124)
        tagged.audio?.embedded.key = "F#m"
        tagged.audio?.embedded.tempo = 124
        tagged.audio?.embedded.cuePoints = [0, 44100]
        tagged.audio?.embedded.description = "Take 3"
        tagged.audio?.embedded.originator = "Studio B"
        tagged.audio?.embedded.originated = "2026-05-01 14:30:00"
        let vector = try #require(SimilarityVector(values: (0..<SimilarityVector.dimensions).map { Float($0) / 7 }))
        tagged.audio?.similarity = vector
        var offline = file("/lib/gone.wav", inode: 2)
        offline.audio?.similarity = vector
        try store.apply([.store(tagged), .store(offline), .store(file("/lib/silent.wav", inode: 3))])
        try store.apply([.setOffline(paths: ["/lib/gone.wav"])])
        let record = try #require(try await store.record(path: "/lib/take.wav"))
        #expect(record.key == "F#m" && record.keySource == .embedded && record.bpm == 124 && record.bpmSource == .embedded)
        #expect(record.cuePoints == [0, 44100] && record.description == "Take 3" && record.originator == "Studio B")
        #expect(record.originated == "2026-05-01 14:30:00")
        let vectors = try await store.similarityVectors()
        #expect(vectors.map(\.fileID) == [record.id], "offline files and files without a vector are left out")
        #expect(vectors.first?.vector == vector)
        // The embedded key survives a rename that re-derives the verdict.
        try store.apply([.move(from: "/lib/take.wav", to: "/lib/Take_Am.wav", root: "/lib")])
        #expect(try await store.record(path: "/lib/Take_Am.wav")?.keySource == .embedded)
        try store.apply([.remove(path: "/lib/Take_Am.wav")])
        #expect(try await store.similarityVectors().isEmpty)
    }

    @Test func removalsDropRowsAndWaveforms() async throws {
        let store = try makeStore()
        try store.apply([.store(file("/lib/x/a.wav", inode: 1)), .store(file("/lib/x/b.wav", inode: 2)), .store(file("/lib/xy.wav", inode: 3))])
        try store.apply([.removeTree(directory: "/lib/x")])
        #expect(try await store.search(SearchQuery(limit: nil)).map(\.path) == ["/lib/xy.wav"])
        #expect(try await store.waveform(fileID: 1) == nil)
        try store.apply([.remove(path: "/lib/xy.wav")])
        #expect(try await store.totals().files == 0)
    }

    @Test func searchMatchesEveryWordBelowTheRoot() async throws {
        let store = try makeStore()
        try store.apply([
            .store(file("/lib/Drums/Kick_Hard_01.wav", inode: 1, duration: 0.5)),
            .store(file("/lib/Drums/Snare 100%.flac", inode: 2, format: .flac, duration: 0.3)),
            .store(file("/lib/Loops/Kick Loop 124.wav", inode: 3, duration: 4)),
        ])
        func paths(_ query: SearchQuery) async throws -> [String] { try await store.search(query).map(\.path) }
        #expect(try await paths(SearchQuery(text: "kick")).count == 2)
        #expect(try await paths(SearchQuery(text: "kick drums")) == ["/lib/Drums/Kick_Hard_01.wav"])
        #expect(try await paths(SearchQuery(text: "lib")).isEmpty, "the root's own name does not match")
        #expect(try await paths(SearchQuery(text: "100%")) == ["/lib/Drums/Snare 100%.flac"])
        #expect(try await paths(SearchQuery(text: "1_0")).isEmpty, "LIKE wildcards are literal")
        #expect(try await paths(SearchQuery(format: "FLAC")) == ["/lib/Drums/Snare 100%.flac"])
        #expect(try await paths(SearchQuery(duration: NumericRange(parsing: "<1"))).count == 2)
        #expect(try await paths(SearchQuery(bpm: NumericRange(parsing: "120..130"))).isEmpty, "no tempo is known yet")
        #expect(try await paths(SearchQuery(limit: 1, offset: 1)) == ["/lib/Drums/Snare 100%.flac"])
    }

    @Test func scannerSnapshotIsPerRootAndFindsRowsByIdentityAndPath() throws {
        let store = try makeStore()
        var other = file("/other/c.wav", inode: 9)
        other.root = "/other"
        let odd = "/lib/" + FileName.decode([0xFF]) + ".wav"
        try store.apply([
            .store(file("/lib/a.wav")), .store(other), .store(file("/lib/é.wav", inode: 2)),
            .store(file("/lib/B.wav", inode: 3)), .store(file(odd, inode: 4)),
        ])
        var snapshot = try store.snapshot(underRoot: "/lib", analysisVersion: "v1")
        #expect(Set((0..<snapshot.count).map(snapshot.path(of:))) == ["/lib/B.wav", "/lib/a.wav", "/lib/é.wav", odd])
        for path in ["/lib/B.wav", "/lib/a.wav", "/lib/é.wav", odd] {
            let index = snapshot.index(ofPath: path)
            #expect(index.map(snapshot.path(of:)) == path)
        }
        #expect(snapshot.index(ofPath: "/lib/e\u{301}.wav") == nil, "the NFD twin is another name")
        #expect(snapshot.index(ofPath: "/other/c.wav") == nil)
        let found = snapshot.index(ofPath: "/lib/a.wav")
        let a = try #require(found)
        #expect(snapshot.index(device: 1, inode: 1) { $0.elementsEqual("/lib/a.wav".utf8) } == a)
        #expect(snapshot.index(device: 1, inode: 1) { $0.elementsEqual("/lib/b.wav".utf8) } == nil)
        #expect(snapshot.isUnchanged(a, for: FileStat(device: 1, inode: 1, size: 100, mtimeNs: 5, kind: .regular)))
        #expect(!snapshot.isUnchanged(a, for: FileStat(device: 1, inode: 1, size: 100, mtimeNs: 6, kind: .regular)))
        let otherVersion = try store.snapshot(underRoot: "/lib", analysisVersion: "v2")
        #expect(!otherVersion.isUnchanged(a, for: FileStat(device: 1, inode: 1, size: 100, mtimeNs: 5, kind: .regular)))
    }

    /// Tempo, key and type from names follow the name: a rename or folder move derives them again.
    @Test func namesAreReadAgainWhenAPathChanges() async throws {
        let store = try makeStore()
        let loop = file("/lib/Loops/Loop_124_Am.wav", duration: 8 * 60 / 124)
        try store.apply([.store(loop)])
        var record = try #require(try await store.record(path: "/lib/Loops/Loop_124_Am.wav"))
        #expect(record.bpm == 124 && record.key == "Am" && record.type == .loop && record.bpmSource == .filename)
        try store.apply([.move(from: "/lib/Loops/Loop_124_Am.wav", to: "/lib/Loops/Loop_128 Dm.wav", root: "/lib")])
        record = try #require(try await store.record(path: "/lib/Loops/Loop_128 Dm.wav"))
        #expect(record.bpm == nil, "8 beats at 124 are not a whole number of beats at 128")
        #expect(record.key == "Dm" && record.camelot == "7A" && record.type == .loop)
        try store.apply([.moveTree(from: "/lib/Loops", to: "/lib/One Shots", root: "/lib")])
        record = try #require(try await store.record(path: "/lib/One Shots/Loop_128 Dm.wav"))
        #expect(record.type == .loop, "the file's own name wins over its folder")
        try store.apply([.move(from: "/lib/One Shots/Loop_128 Dm.wav", to: "/lib/One Shots/Stab Dm.wav", root: "/lib")])
        record = try #require(try await store.record(path: "/lib/One Shots/Stab Dm.wav"))
        #expect(record.type == .oneShot && record.instruments == ["stab"])
    }

    @Test func reopeningKeepsEverything() async throws {
        do {
            let store = try makeStore()
            try store.apply([.store(file("/lib/a.wav"))])
            try store.close()
        }
        let reopened = try makeStore()
        #expect(try await reopened.totals().files == 1)
    }
}
