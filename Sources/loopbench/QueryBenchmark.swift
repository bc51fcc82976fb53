import ArgumentParser
import Foundation
import LoopAPI
import Synchronization
import LoopCore
import LoopIndex
import LoopRPC
import LoopRPCNIO

/// Search latency on a large synthetic index: in process against the index
/// store, then through a Unix socket served by loopd's RPC server and
/// dispatcher (find and similar registered straight on the store), one client
/// for latency and several at once for throughput.
struct QueryBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "find, facets and similar on a synthetic index of many rows, in process and through a socket.",
        discussion: "Rows are written straight into the database (no audio); each query kind is timed --repeats times."
    )

    @Option(help: "Concurrent socket clients for the throughput figure.")
    var clients = 8

    @Option(help: "Seconds the concurrent clients run.")
    var seconds = 10.0

    @Flag(help: "With --folder: use the index already there (as it is) instead of generating it again.")
    var reuse = false

    @Option(help: "Rows in the synthetic index.")
    var rows = 1_000_000

    @Option(help: "Times each query kind runs.")
    var repeats = 50

    @OptionGroup var workFolder: WorkFolderOption

    func run() async throws {
        try await workFolder.useAsync(named: "loopbench-query", emptied: !reuse) { work, _ in
            let started = ContinuousClock.now
            // With --reuse the index is taken as it is (opening it to count would load it twice and blur the memory figure).
            if !(reuse && FileManager.default.fileExists(atPath: work + "/index.sqlite")) {
                let fresh = try IndexStore(path: work + "/index.sqlite")
                try generate(into: fresh)
                try fresh.close()
            }
            let generated = (ContinuousClock.now - started).seconds
            // Opening reads every row into the in-memory search columns.
            let residentBefore = Self.residentMegabytes()
            let opening = ContinuousClock.now
            let store = try IndexStore(path: work + "/index.sqlite")
            await store.waitUntilSearchColumnsLoaded()
            let opened = (ContinuousClock.now - opening).seconds
            let residentAfter = Self.residentMegabytes()
            func time(_ label: String, _ body: () async throws -> Void) async throws -> [String: Double] {
                var samples: [Double] = []
                for _ in 0..<repeats {
                    let start = ContinuousClock.now
                    try await body()
                    samples.append((ContinuousClock.now - start).seconds * 1000)
                }
                samples.sort()
                return Self.percentiles(samples)
            }
            var report: [String: [String: Double]] = [:]
            report["freeText"] = try await time("text") { _ = try await store.find(FindRequest(query: "dark kick", limit: 50)) }
            report["spliceFilter"] = try await time("filter") {
                _ = try await store.find(FindRequest(query: "bass bpm:120..128 key:Am type:loop", limit: 50))
            }
            report["facets"] = try await time("facets") { _ = try await store.find(FindRequest(query: "type:loop bpm:120..128", limit: 50, facets: true)) }
            report["similar"] = try await time("similar") { _ = try await store.similar(to: 1, where: nil, limit: 20) }
            report["similarWithin"] = try await time("similar within") { _ = try await store.similar(to: 1, where: "type:one-shot", limit: 20) }
            // A file lands between searches, as in a library in use: the vectors follow the commit.
            var landed: [Double] = []
            var random = SystemRandomNumberGenerator()
            for index in 0..<repeats {
                var file = AnalysedFile(
                    path: "/lib/Landed/new \(index) \(UInt32.random(in: 0...UInt32.max, using: &random)).wav", root: "/lib",
                    stat: FileStat(device: 2, inode: UInt64(index + 1), size: 100_000, mtimeNs: 1, kind: .regular), analysisVersion: "bench"
                )
                file.audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 24)
                file.audio?.similarity = SimilarityVector(values: (0..<SimilarityVector.dimensions).map { _ in Float.random(in: -1...1, using: &random) })
                try store.apply([.store(file)])
                let start = ContinuousClock.now
                _ = try await store.similar(to: 1, where: nil, limit: 20)
                landed.append((ContinuousClock.now - start).seconds * 1000)
            }
            report["similarAfterWrite"] = Self.percentiles(landed.sorted())
            let socketReport = try await throughSocket(store, socket: work + "/bench.sock")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(reuse ? "Reused the index in \(work)." : "Generated \(rows) rows in \(String(format: "%.1f", generated)) s.")
            print("Opened the index (search columns loaded) in \(String(format: "%.2f", opened)) s; resident memory \(String(format: "%.0f", residentBefore)) MB before, \(String(format: "%.0f", residentAfter)) MB after, \(String(format: "%.0f", Self.residentMegabytes())) MB at the end.")
            print("In process:")
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            print("Through the socket:")
            print(String(decoding: try encoder.encode(socketReport), as: UTF8.self))
        }
    }

    /// The queries a client sends, by name.
    static let socketQueries: [(name: String, method: String, params: any Encodable & Sendable)] = [
        ("freeText", LoopMethod.find.name, FindRequest(query: "dark kick", limit: 50)),
        ("spliceFilter", LoopMethod.find.name, FindRequest(query: "bass bpm:120..128 key:Am type:loop", limit: 50)),
        ("facets", LoopMethod.find.name, FindRequest(query: "type:loop bpm:120..128", limit: 50, facets: true)),
        ("similar", LoopMethod.similar.name, SimilarRequest(id: 1, limit: 20)),
    ]

    private func throughSocket(_ store: IndexStore, socket: String) async throws -> [String: [String: Double]] {
        var dispatcher = RPCDispatcher()
        dispatcher.register(LoopMethod.find) { request, _ in try await store.find(request) }
        dispatcher.register(LoopMethod.similar) { request, _ in
            try await store.similar(to: request.id ?? 1, where: request.where, limit: request.limit) ?? []
        }
        let server = RPCServer(dispatcher: dispatcher)
        let serving = Task { try await server.run(socketPath: socket, mode: 0o600) {} }
        defer {
            server.stop()
            serving.cancel()
        }
        while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(10)) }
        let repeats = self.repeats, clients = self.clients, seconds = self.seconds
        return try await Task.detached {
            var report: [String: [String: Double]] = [:]
            let client = try RPCClient(socketPath: socket)
            for query in Self.socketQueries {
                var samples: [Double] = []
                for _ in 0..<repeats {
                    let start = ContinuousClock.now
                    _ = try client.exchange(Self.requestLine(query.method, query.params))
                    samples.append((ContinuousClock.now - start).seconds * 1000)
                }
                samples.sort()
                report[query.name] = Self.percentiles(samples)
            }
            // Throughput: each client cycles through the queries until time is up.
            let counts = Mutex([Int](repeating: 0, count: clients))
            let deadline = ContinuousClock.now + .seconds(seconds)
            DispatchQueue.concurrentPerform(iterations: clients) { index in
                guard let client = try? RPCClient(socketPath: socket) else { return }
                var done = 0
                while ContinuousClock.now < deadline {
                    let query = Self.socketQueries[(done + index) % Self.socketQueries.count]
                    guard (try? client.exchange(Self.requestLine(query.method, query.params))) != nil else { return }
                    done += 1
                }
                counts.withLock { $0[index] = done }
            }
            let total = counts.withLock { $0.reduce(0, +) }
            report["concurrent"] = ["clients": Double(clients), "queriesPerSecond": Double(total) / seconds]
            return report
        }.value
    }

    /// p50, p90, p99 and the slowest of sorted samples.
    static func percentiles(_ sorted: [Double]) -> [String: Double] {
        func at(_ percent: Int) -> Double { sorted[min(sorted.count - 1, sorted.count * percent / 100)] }
        return ["p50Ms": at(50), "p90Ms": at(90), "p99Ms": at(99), "maxMs": sorted.last ?? 0]
    }

    /// This process's resident memory (VmRSS), in megabytes.
    static func residentMegabytes() -> Double {
        ProcessMemory.megabytes("VmRSS:", of: getpid()) ?? 0
    }

    static func requestLine(_ method: String, _ params: any Encodable) -> Data {
        let encoded = (try? JSONEncoder().encode(params)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return Data("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(method)\",\"params\":\(encoded)}".utf8)
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
            let seconds = isLoop ? Double.random(in: 2...16, using: &random) : Double.random(in: 0.1...2, using: &random)
            var audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 24, frames: Int64(seconds * 44100))
            audio.audioType = isLoop ? .loop : .oneShot
            audio.audioBpm = isLoop ? Double(Int.random(in: 70...175, using: &random)) : nil
            audio.audioKey = isLoop && index % 2 == 0 ? keys.randomElement(using: &random) : nil
            file.audio = audio
            file.audio?.similarity = SimilarityVector(values: (0..<SimilarityVector.dimensions).map { _ in Float.random(in: -1...1, using: &random) })
            batch.append(.store(file))
            if batch.count == 5000 {
                try store.apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try store.apply(batch) }
    }
}
