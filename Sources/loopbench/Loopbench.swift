import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth

@main
struct Loopbench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loopbench",
        abstract: "Benchmarks for loopd; each prints its figures as JSON. Build with -c release.",
        subcommands: [IndexingBenchmark.self, ReconcileBenchmark.self, AnalysisBenchmark.self, AccuracySet.self, PackAccuracy.self, QueryBenchmark.self, SambaBenchmark.self, ViewsBenchmark.self, SpotlightBenchmark.self, ZipBenchmark.self, JSONBenchmark.self, WebBenchmark.self, BrowserBenchmark.self, CatalogBenchmark.self],
        defaultSubcommand: IndexingBenchmark.self
    )
}

struct IndexingBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indexing",
        abstract: "Cold indexing, time until a new file is searchable, search latency, peak memory.",
        discussion: """
            Generates a library of short samples in mixed formats, starts the loopd built beside this \
            program on it, and prints the figures as JSON.
            """
    )

    @Option(help: "Samples in the generated library.")
    var files = 2000

    @Option(help: "New files written one at a time to time how soon each is searchable.")
    var latencyFiles = 200

    @Option(help: "Searches to time through the socket.")
    var searches = 1000

    @Option(help: "Analysis workers for loopd (0: one per core).")
    var workers = 0

    @Option(help: "Seed for the generated library.")
    var seed: UInt64 = 1

    @OptionGroup var workFolder: WorkFolderOption

    func validate() throws {
        if files < 1 || latencyFiles < 1 || searches < 1 { throw ValidationError("--files, --latency-files and --searches must be at least 1.") }
    }

    func run() throws {
        try workFolder.use(named: "loopbench") { work, library in try measure(work: work, library: library) }
    }

    private func measure(work: String, library: String) throws {

        var generator = LibraryGenerator(seed: seed)
        let generationStart = ContinuousClock.now
        let generated = try generator.generate(count: files, into: library)
        log("Generated \(files) files, \(Int(generated.audioSeconds)) s of audio, \(generated.bytes / 1_000_000) MB, in \((ContinuousClock.now - generationStart).seconds) s.")

        let daemon = try BenchDaemon(work: work, library: library, workers: workers)
        defer { daemon.stop() }
        let client = try RPCClient(socketPath: daemon.socket)
        let _: SyncReply = try client.call(LoopMethod.sync)
        let coldSeconds = (ContinuousClock.now - daemon.launchedAt).seconds
        let afterCold: StatusReport = try client.call(LoopMethod.status)
        log("Cold indexing: \(afterCold.files) files in \(coldSeconds) s (\(afterCold.errors) errors).")

        let latencies = try measureNewFileLatency(client: client, library: library, generator: &generator)
        log("New-file latency measured over \(latencies.count) files.")
        let searchTimes = try measureSearches(client: client)
        let status: StatusReport = try client.call(LoopMethod.status)

        let report = BenchReport(
            files: files, audioSeconds: generated.audioSeconds, libraryBytes: generated.bytes,
            workers: status.workers, indexedFiles: afterCold.files, errors: afterCold.errors,
            coldIndexSeconds: coldSeconds,
            coldFilesPerSecond: Double(files) / coldSeconds,
            coldAudioSecondsPerSecond: generated.audioSeconds / coldSeconds,
            newFileSearchableMs: Percentiles(latencies),
            searchMs: Percentiles(searchTimes),
            peakRSSMegabytes: daemon.peakRSSMegabytes()
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Writes files into the library one by one and times until `search` finds each.
    private func measureNewFileLatency(client: RPCClient, library: String, generator: inout LibraryGenerator) throws -> [Double] {
        var latencies: [Double] = []
        for index in 0..<latencyFiles {
            let name = "fresh-\(index)-probe"
            try generator.writeOne(named: name, into: library + "/Incoming")
            let written = ContinuousClock.now
            let query = SearchQuery(text: name, limit: 1)
            while true {
                let found: [SampleRecord] = try client.call(LoopMethod.search, params: query)
                if !found.isEmpty { break }
                // Poll finely without starving the daemon of the CPU it needs to index.
                usleep(200)
            }
            latencies.append((ContinuousClock.now - written).milliseconds)
        }
        return latencies
    }

    private func measureSearches(client: RPCClient) throws -> [Double] {
        let queries: [SearchQuery] = [
            SearchQuery(text: "kick"), SearchQuery(text: "loop 12"), SearchQuery(text: "snare", format: "wav"),
            SearchQuery(duration: NumericRange(parsing: "<1")), SearchQuery(text: "pad", duration: NumericRange(parsing: "2..6")),
            SearchQuery(text: "zzz-no-match"), SearchQuery(format: "flac", limit: 20), SearchQuery(text: "hat 0"),
        ]
        var times: [Double] = []
        for index in 0..<searches {
            let started = ContinuousClock.now
            let _: [SampleRecord] = try client.call(LoopMethod.search, params: queries[index % queries.count])
            times.append((ContinuousClock.now - started).milliseconds)
        }
        return times
    }
}

func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

