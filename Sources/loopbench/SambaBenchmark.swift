#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport

struct Report: Encodable {
    var files: Int
    var putToSearchableMs: Percentiles
    var putToViewFolderMs: Percentiles
}

/// Prints a report as pretty JSON.
func printJSON<T: Encodable>(_ report: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
}

/// From `smbclient put` returning to the file being searchable and in its view folder.
struct SambaBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samba",
        abstract: "Time from an SMB upload to search and to the views, through a loopback smbd (needs root and samba).",
        discussion: "Starts the loopd built beside this program with views on, and Debian's smbd sharing its library."
    )

    @Option(help: "Files uploaded one at a time.")
    var files = 100

    @OptionGroup var workFolder: WorkFolderOption

    func run() throws {
        if let reason = SambaServer.unavailableReason { throw ValidationError("Cannot run: \(reason).") }
        try workFolder.use(named: "loopbench-samba") { work, library in
            chmod(library, 0o777)
            let daemon = try BenchDaemon(work: work, library: library, workers: 0, config: "[views]\nenabled = true\n")
            defer { daemon.stop() }
            let samba = try SambaServer(sharing: library)
            try samba.start()
            defer { samba.stop() }
            let client = try RPCClient(socketPath: daemon.socket)
            let local = work + "/local"
            try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
            var searchable: [Double] = [], inView: [Double] = []
            for index in 0..<files {
                let name = "Bench Kick \(index).wav"
                // Two seconds: a kick, then its tail of room noise, different for every file.
                var samples = LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: UInt64(index))
                samples += (0..<(88200 - samples.count)).map { Float(($0 * (index + 7)) % 97) / 97 * 0.001 }
                _ = try SignalWriter.write(path: local + "/" + name, kind: .wav16, interleaved: samples, sampleRate: 44100)
                let put = try samba.client("put \"\(local)/\(name)\" \"\(name)\"")
                guard put.status == 0 else { throw ValidationError("smbclient put failed: \(put.output)") }
                let uploaded = ContinuousClock.now
                let view = library + "/_Index/One-shots/Kick/" + name
                var found: Duration?, linked: Duration?
                while found == nil || linked == nil {
                    if ContinuousClock.now - uploaded > .seconds(30) { throw ValidationError("\(name) did not appear within 30 s.") }
                    if found == nil {
                        let result: FindResult = try client.call(LoopMethod.find, params: FindRequest(query: "\"\(name.dropLast(4))\"", limit: 5))
                        if result.records.contains(where: { $0.path.hasSuffix("/" + name) }) { found = ContinuousClock.now - uploaded }
                    }
                    if linked == nil, FileStat.of(view) != nil { linked = ContinuousClock.now - uploaded }
                    usleep(2000)
                }
                searchable.append(found?.milliseconds ?? 0)
                inView.append(linked?.milliseconds ?? 0)
            }
            try printJSON(Report(files: files, putToSearchableMs: Percentiles(searchable), putToViewFolderMs: Percentiles(inView)))
        }
    }
}
