import ArgumentParser
import Foundation
import LoopCore
import LoopIndex

/// Search latency on a large synthetic index, measured in process against
/// the index store (the socket adds the RPC round trip measured by `indexing`).
struct QueryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "find, facets and similar on a synthetic index of many rows, in process.",
        discussion: "Rows are written straight into the database (no audio); each query kind is timed --repeats times."
    )

    @Option(help: "Rows in the synthetic index.")
    var rows = 1_000_000

    @Option(help: "Times each query kind runs.")
    var repeats = 50

    @OptionGroup var workFolder: WorkFolderOption

    func run() async throws {
        try await workFolder.useAsync(named: "loopbench-query") { work, _ in
            let store = try IndexStore(path: work + "/index.sqlite")
            let started = ContinuousClock.now
            try generate(into: store)
            let generated = (ContinuousClock.now - started).seconds
            func time(_ label: String, _ body: () async throws -> Void) async throws -> [String: Double] {
                var samples: [Double] = []
                for _ in 0..<repeats {
                    let start = ContinuousClock.now
                    try await body()
                    samples.append((ContinuousClock.now - start).seconds * 1000)
                }
                samples.sort()
                return ["p50Ms": samples[samples.count / 2], "p99Ms": samples[min(samples.count - 1, samples.count * 99 / 100)]]
            }
            var report: [String: [String: Double]] = [:]
            report["freeText"] = try await time("text") { _ = try await store.find(FindRequest(query: "dark kick", limit: 50)) }
            report["spliceFilter"] = try await time("filter") {
                _ = try await store.find(FindRequest(query: "bass bpm:120..128 key:Am type:loop", limit: 50))
            }
            report["facets"] = try await time("facets") { _ = try await store.find(FindRequest(query: "type:loop bpm:120..128", limit: 50, facets: true)) }
            report["similar"] = try await time("similar") { _ = try await store.similar(to: 1, where: nil, limit: 20) }
            report["similarWithin"] = try await time("similar within") { _ = try await store.similar(to: 1, where: "type:one-shot", limit: 20) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print("Generated \(rows) rows in \(String(format: "%.1f", generated)) s.")
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
    }

    private func generate(into store: IndexStore) throws {
        let words = ["dark", "kick", "snare", "hat", "bass", "pad", "vox", "synth", "warm", "punchy", "deep", "lofi", "tight", "wide"]
        let keys = ["Am", "C", "F#m", "Eb", "Dm", "G", "Bbm", "E"]
        var random = SystemRandomNumberGenerator()
        var batch: [IndexOperation] = []
        for index in 0..<rows {
            let name = (0..<3).map { _ in words.randomElement(using: &random) ?? "x" }.joined(separator: " ")
            let isLoop = index % 3 != 0
            var file = AnalysedFile(
                path: "/lib/Pack \(index / 1000)/\(name) \(index).wav", root: "/lib",
                stat: FileStat(device: 1, inode: UInt64(index + 1), size: 100_000, mtimeNs: 1, kind: .regular), analysisVersion: "bench"
            )
            file.format = "wav"
            file.duration = isLoop ? Double.random(in: 2...16, using: &random) : Double.random(in: 0.1...2, using: &random)
            file.audioType = isLoop ? "loop" : "one-shot"
            file.audioBpm = isLoop ? Double(Int.random(in: 70...175, using: &random)) : nil
            file.audioKey = isLoop && index % 2 == 0 ? keys.randomElement(using: &random) : nil
            file.similarity = SimilarityVector(values: (0..<SimilarityVector.dimensions).map { _ in Float.random(in: -1...1, using: &random) })
            batch.append(.store(file))
            if batch.count == 5000 {
                try store.apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try store.apply(batch) }
    }
}
