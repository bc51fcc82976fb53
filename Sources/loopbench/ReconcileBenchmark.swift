import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth

/// The reconciling figures: restart over a large unchanged library against a
/// bare stat walk, a burst of new files, and memory while watching it all.
struct ReconcileBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Restart over a large unchanged library vs find's stat walk, a burst of new files, and RSS while watching.",
        discussion: "Defaults: 100,000 tiny files in 5,000 folders, then a burst of 10,000. The first indexing takes minutes."
    )

    @Option(help: "Files in the library.")
    var files = 100_000

    @Option(help: "Folders they are spread over.")
    var folders = 5_000

    @Option(help: "Files created at once for the burst.")
    var burst = 10_000

    @Option(help: "Restarts measured (each against its own run of find); medians are reported.")
    var rounds = 5

    @OptionGroup var workFolder: WorkFolderOption

    func validate() throws {
        if files < 1 || folders < 1 || burst < 1 || rounds < 1 { throw ValidationError("--files, --folders, --burst and --rounds must be at least 1.") }
    }

    func run() throws {
        try workFolder.use(named: "loopbench-reconcile") { work, library in try measure(work: work, library: library) }
    }

    private func measure(work: String, library: String) throws {

        // One tiny valid WAV, copied everywhere: generation is I/O, not synthesis.
        let template = work + "/template.wav"
        try SignalWriter.write(path: template, kind: .wav16, signal: .noise(amplitude: 0.2, seed: 1), duration: 0.005)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: template))
        var started = ContinuousClock.now
        for index in 0..<files {
            let directory = library + "/f\(index % folders / 100)/d\(index % folders)"
            if index < folders { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            try create(directory + "/s\(index).wav", bytes)
        }
        log("Generated \(files) files in \(folders) folders in \((ContinuousClock.now - started).seconds) s.")

        var daemon = try BenchDaemon(work: work, library: library, workers: 0)
        var client = try RPCClient(socketPath: daemon.socket)
        let _: SyncReply = try client.call(LoopMethod.sync)
        let coldSeconds = (ContinuousClock.now - daemon.launchedAt).seconds
        log("First indexing took \(coldSeconds) s.")
        let _: SyncReply = try client.call(LoopMethod.sync)
        let watching: StatusReport = try client.call(LoopMethod.status)
        let rssWatching = daemon.residentMegabytes()
        daemon.stop()

        // The floor, a stat walk of the same tree (warm cache, like the restart), and the
        // restart, alternated and repeated: this VM's disk timings wander by 50% run to run.
        var findRuns: [Double] = [], restarts: [(serving: Double, reconciled: Double, reanalysed: Int)] = []
        for round in 0..<rounds {
            started = ContinuousClock.now
            let find = Process()
            find.executableURL = URL(fileURLWithPath: "/usr/bin/find")
            find.arguments = [library, "-printf", "%s %T@\\n"]
            find.standardOutput = FileHandle.nullDevice
            try find.run()
            find.waitUntilExit()
            findRuns.append((ContinuousClock.now - started).seconds)

            daemon = try BenchDaemon(work: work, library: library, workers: 0)
            client = try RPCClient(socketPath: daemon.socket)
            let _: SyncReply = try client.call(LoopMethod.sync)
            let reconciled = (ContinuousClock.now - daemon.launchedAt).seconds
            let status: StatusReport = try client.call(LoopMethod.status)
            restarts.append((daemon.readyAfter.seconds, reconciled, status.analyzedSinceStart))
            log("Restart \(round + 1): serving after \(daemon.readyAfter.seconds) s, reconciled after \(reconciled) s; find took \(findRuns[round]) s.")
            if round < rounds - 1 { daemon.stop() }
        }
        let afterRestart: StatusReport = try client.call(LoopMethod.status)
        let findSeconds = median(findRuns)
        let restartSeconds = median(restarts.map(\.reconciled))

        // The burst: files created as fast as they can be, then time until all are searchable.
        let burstFolder = library + "/burst"
        try FileManager.default.createDirectory(atPath: burstFolder, withIntermediateDirectories: true)
        let before = afterRestart.files
        started = ContinuousClock.now
        for index in 0..<burst {
            try create(burstFolder + "/b\(index).wav", bytes)
        }
        let written = ContinuousClock.now
        var searchable = 0
        while searchable < burst {
            let status: StatusReport = try client.call(LoopMethod.status)
            searchable = status.files - before
            if status.pending + status.inFlight == 0 && !status.scanning && searchable < burst {
                // Idle yet short: something was lost; sync once to be sure before saying so.
                let _: SyncReply = try client.call(LoopMethod.sync)
                let settled: StatusReport = try client.call(LoopMethod.status)
                searchable = settled.files - before
                break
            }
        }
        let burstDone = ContinuousClock.now
        daemon.stop()

        let report = ReconcileReport(
            files: files, folders: folders, firstIndexSeconds: coldSeconds,
            watches: watching.watches, rssWhileWatchingMegabytes: rssWatching,
            findStatWalkSeconds: findSeconds, findStatWalkRuns: findRuns,
            restartServingSeconds: median(restarts.map(\.serving)),
            restartReconciledSeconds: restartSeconds, restartReconciledRuns: restarts.map(\.reconciled),
            restartOverFind: restartSeconds / max(findSeconds, 1e-9),
            reanalysedOnRestart: restarts.map(\.reanalysed).reduce(0, +),
            burstFiles: burst, burstWriteSeconds: (written - started).seconds,
            burstAllSearchableSeconds: (burstDone - written).seconds, burstLost: burst - searchable
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

private struct CreateFailed: Error, CustomStringConvertible {
    var description: String
}

private func create(_ path: String, _ bytes: Data) throws {
    guard FileManager.default.createFile(atPath: path, contents: bytes) else { throw CreateFailed(description: "cannot create \(path)") }
}

struct ReconcileReport: Encodable {
    var files: Int
    var folders: Int
    var firstIndexSeconds: Double
    var watches: Int
    var rssWhileWatchingMegabytes: Double?
    /// Medians over the rounds, and every round's figure.
    var findStatWalkSeconds: Double
    var findStatWalkRuns: [Double]
    var restartServingSeconds: Double
    var restartReconciledSeconds: Double
    var restartReconciledRuns: [Double]
    var restartOverFind: Double
    var reanalysedOnRestart: Int
    var burstFiles: Int
    var burstWriteSeconds: Double
    var burstAllSearchableSeconds: Double
    var burstLost: Int
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
