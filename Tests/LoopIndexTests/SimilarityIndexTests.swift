import Foundation
import LoopAPI
import LoopCore
@testable import LoopIndex
import LoopTestSupport
import Testing

/// `similar` against a brute-force search with `SimilaritySpace` over the stored vectors, before
/// and after writes that the index takes in at commit: new files, new vectors, removals, files
/// going offline and coming back.
@Suite struct SimilarityIndexTests {
    let folder = TemporaryDirectory("similarity-index")

    struct Vectors {
        var state: UInt64
        mutating func next() -> SimilarityVector? {
            SimilarityVector(values: (0..<SimilarityVector.dimensions).map { dimension in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                // Dimensions of different scales, as real ones are.
                return Float(Double(state >> 11) / Double(1 << 53)) * Float(1 + dimension % 5 * 3)
            })
        }
    }

    func file(_ index: Int, vector: SimilarityVector?) -> AnalysedFile {
        var file = AnalysedFile(path: "/lib/s\(index).wav", root: "/lib", stat: FileStat(device: 1, inode: UInt64(index + 1), size: 100, mtimeNs: 5, kind: .regular), analysisVersion: "v1")
        file.audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 16, frames: 44100)
        file.audio?.similarity = vector
        return file
    }

    /// The `limit` nearest by brute force: (id, distance), nearest first.
    func reference(_ store: IndexStore, target: Int64, limit: Int) async throws -> [(Int64, Double)]? {
        let vectors = try await store.similarityVectors()
        guard let origin = vectors.first(where: { $0.fileID == target })?.vector else { return nil }
        let space = SimilaritySpace(vectors.map(\.vector))
        return vectors.filter { $0.fileID != target }
            .map { ($0.fileID, Double(space.distance(origin, $0.vector))) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(limit).map { $0 }
    }

    /// Same distances rank by rank, and each file's the distance the reference gives it (up to
    /// float rounding: ties may come in another order).
    func expectSameNearest(_ store: IndexStore, target: Int64, limit: Int = 25) async throws {
        let found = try await store.similar(to: target, where: nil, limit: limit)
        let expected = try await reference(store, target: target, limit: limit)
        #expect((found == nil) == (expected == nil), "file \(target)")
        guard let found, let expected else { return }
        #expect(found.count == expected.count)
        let all = Dictionary(uniqueKeysWithValues: try await reference(store, target: target, limit: Int.max) ?? [])
        for (match, (_, distance)) in zip(found, expected) {
            #expect(abs(match.distance - distance) <= 1e-3 * max(distance, 1), "file \(target): rank distance \(match.distance) vs \(distance)")
            let own = try #require(all[match.record.id])
            #expect(abs(match.distance - own) <= 1e-3 * max(own, 1), "file \(target): \(match.record.id) at \(match.distance), really \(own)")
        }
    }

    @Test func nearestEqualsBruteForceBeforeAndAfterWrites() async throws {
        let store = try IndexStore(path: folder.path + "/index.sqlite")
        var vectors = Vectors(state: 7)
        var files = (0..<400).map { file($0, vector: vectors.next()) }
        // Exact duplicates (distance 0, tied) and a file without a vector.
        let duplicated = files[10].audio?.similarity
        files[11].audio?.similarity = duplicated
        files[12].audio?.similarity = duplicated
        files[13].audio?.similarity = nil
        try store.apply(files.map { .store($0) })
        let ids = try await store.similarityVectors().map(\.fileID)
        for target in [ids[0], ids[10], ids[200], ids[399 - 1]] { try await expectSameNearest(store, target: target) }
        #expect(try await store.similar(to: 14, where: nil, limit: 5) == nil, "file 13's row has no vector")

        // New files, new vectors for old ones, removals, files going offline, one coming back.
        try store.apply((400..<450).map { .store(file($0, vector: vectors.next())) })
        try store.apply((20..<50).map { index in .store(file(index, vector: vectors.next())) })
        try store.apply((60..<80).map { .remove(path: "/lib/s\($0).wav") })
        try store.apply([.setOffline(paths: (100..<110).map { "/lib/s\($0).wav" })])
        try store.apply([.setOnline(path: "/lib/s105.wav")])
        try store.apply([.store(file(13, vector: vectors.next()))])
        let now = Set(try await store.similarityVectors().map(\.fileID))
        // 399 with vectors, 50 new, 20 removed, 10 offline and one back, and file 13's new vector.
        let expectedCount = 421
        #expect(now.count == expectedCount)
        for target in [Int64(1), 11, 14, 25, 90, 106, 420, 450] where now.contains(target) {
            try await expectSameNearest(store, target: target)
        }
        #expect(try await store.similar(to: 61, where: nil, limit: 5) == nil, "a removed file has no neighbours")
        #expect(try await store.similar(to: 101, where: nil, limit: 5) == nil, "an offline file has no neighbours")
        let neighbours = try #require(try await store.similar(to: 1, where: nil, limit: 1000)).map(\.record.id)
        #expect(Set(neighbours) == now.subtracting([1]), "every file with a vector, and only those")
    }
}
