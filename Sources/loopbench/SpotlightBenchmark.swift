#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import Logging
import LoopCore
import LoopIndex
import LoopSpotlight
import LoopTestSupport

/// `mdsearch` round trips through a loopback smbd whose Spotlight service asks
/// loopd's endpoint (the same `SpotlightServer`, in process) on a large index.
struct SpotlightBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotlight",
        abstract: "mdsearch round trips through smbd to loopd's Spotlight endpoint on a synthetic index (needs root, samba, smbclient).",
        discussion: "Port 445 must be free: mdsearch connects to it only."
    )

    @Option(help: "Files in the synthetic index (empty files are made at their paths).")
    var rows = 100_000

    @Option(help: "Round trips per query.")
    var repeats = 30

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var files: Int
        /// mdsearch round trips (it waits one second before it fetches results).
        var queries: [String: Percentiles]
        var matches: [String: Int]
        /// The index search alone, in process.
        var endpointMs: [String: Percentiles]
    }

    func run() async throws {
        if let reason = SambaServer.unavailableReason { throw ValidationError("Cannot run: \(reason).") }
        try await workFolder.useAsync(named: "loopbench-spotlight") { work, library in
            let store = try IndexStore(path: work + "/index.sqlite")
            try SyntheticLibrary.generate(rows: rows, library: library, into: store)
            try SyntheticLibrary.touch(rows: rows, library: library)
            var logger = Logger(label: "spotlight")
            if ProcessInfo.processInfo.environment["LOOPBENCH_DEBUG"] != nil { logger.logLevel = .debug }
            let server = try await SpotlightServer(host: "127.0.0.1", port: 0, logger: logger) { try await store.spotlight($0) }
            let serving = Task { await server.serveUntilCancelled() }
            defer { serving.cancel() }
            let mappings = (BuiltProducts.packageRoot ?? FileManager.default.currentDirectoryPath) + "/etc/elasticsearch_mappings.json"
            let samba = try SambaServer(sharing: library, ports: [445, SambaServer.freePort()], extraGlobal: """
                  spotlight backend = elasticsearch
                  elasticsearch:address = 127.0.0.1
                  elasticsearch:port = \(server.port)
                  elasticsearch:mappings = \(mappings)
                """, extraShare: "  spotlight = yes")
            try samba.start()
            defer { samba.stop() }
            // Queries with at most one page (50) of results: mdsearch 4.17 prints nothing for a search
            // whose results span pages (Samba fetches every page from loopd, but the client stops early).
            let queries = [
                "namePrefix": #"kMDItemFSName=="Kick 4242*""#,
                "tempoAndName": #"InRange(kMDItemTempo,120,120) && kMDItemFSName=="Bass 4*""#,
                "durationKindAndName": #"kMDItemContentTypeTree=="public.audio" && kMDItemDurationSeconds<"1" && kMDItemFSName=="Snare 999*""#,
            ]
            // The endpoint's own share of the time: the same searches as Samba translates them, in process.
            let scope = " AND path.real.fulltext:\"\(library)\""
            let translated = [
                "namePrefix": #"(file.filename:Kick\ 4242*)"# + scope,
                "tempoAndName": #"((audio.tempo:[120 TO 120]) AND (file.filename:Bass\ 4*))"# + scope,
                "durationKindAndName": #"(((file.content_type:(audio\/*)) AND (audio.duration:{* TO 1})) AND (file.filename:Snare\ 999*))"# + scope,
            ]
            var report = Report(files: rows, queries: [:], matches: [:], endpointMs: [:])
            for (name, text) in translated {
                let query = try SpotlightQueryParser().parse(text)
                var samples: [Double] = []
                for _ in 0..<max(repeats, 30) {
                    let started = ContinuousClock.now
                    _ = try await store.spotlight(query, from: 0, size: 50)
                    samples.append((ContinuousClock.now - started).milliseconds)
                }
                report.endpointMs[name] = Percentiles(samples)
            }
            for (name, query) in queries.sorted(by: { $0.key < $1.key }) {
                var samples: [Double] = []
                var matches = 0
                for _ in 0..<repeats {
                    let started = ContinuousClock.now
                    let result = try ChildProcess.run("/usr/bin/mdsearch", ["-s", samba.config, "-U", "\(samba.user)%\(samba.password)", "127.0.0.1", "lib", query])
                    samples.append((ContinuousClock.now - started).milliseconds)
                    guard result.status == 0 else { throw ValidationError("mdsearch \(query) failed: \(result.output)") }
                    matches = result.output.split(separator: "\n").count
                }
                report.queries[name] = Percentiles(samples)
                report.matches[name] = matches
            }
            try printJSON(report)
        }
    }
}
