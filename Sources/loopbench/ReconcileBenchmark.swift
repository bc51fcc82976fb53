import ArgumentParser
import Foundation
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

    @OptionGroup var workFolder: WorkFolderOption

    func validate() throws {
        if files < 1 || folders < 1 || burst < 1 { throw ValidationError("--files, --folders and --burst must be at least 1.") }
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

        // The floor: a stat walk of the same tree (warm cache, like the restart).
        started = ContinuousClock.now
        let find = Process()
        find.executableURL = URL(fileURLWithPath: "/usr/bin/find")
        find.arguments = [library, "-printf", "%s %T@\\n"]
        find.standardOutput = FileHandle.nullDevice
        try find.run()
        find.waitUntilExit()
        let findSeconds = (ContinuousClock.now - started).seconds

        daemon = try BenchDaemon(work: work, library: library, workers: 0)
        let readySeconds = daemon.readyAfter.seconds
        client = try RPCClient(socketPath: daemon.socket)
        let _: SyncReply = try client.call(LoopMethod.sync)
        let restartSeconds = (ContinuousClock.now - daemon.launchedAt).seconds
        let afterRestart: StatusReport = try client.call(LoopMethod.status)
        log("Restart: serving after \(readySeconds) s, reconciled after \(restartSeconds) s; find took \(findSeconds) s.")

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
            findStatWalkSeconds: findSeconds, restartServingSeconds: readySeconds,
            restartReconciledSeconds: restartSeconds, restartOverFind: restartSeconds / max(findSeconds, 1e-9),
            reanalysedOnRestart: afterRestart.analyzedSinceStart,
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
    var findStatWalkSeconds: Double
    var restartServingSeconds: Double
    var restartReconciledSeconds: Double
    var restartOverFind: Double
    var reanalysedOnRestart: Int
    var burstFiles: Int
    var burstWriteSeconds: Double
    var burstAllSearchableSeconds: Double
    var burstLost: Int
}
