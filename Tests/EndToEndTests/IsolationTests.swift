import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

/// Decoding runs in worker processes: a file that crashes or hangs its
/// worker costs that file, never the daemon. The faults are injected at the
/// worker process itself (`LOOPD_WORKER_FAULT`), as a broken decoder would
/// cause them: a SIGKILL, or a stop until the deadline.
@Suite(.serialized) struct IsolationTests {
    func writeLibrary(_ daemon: DaemonProcess, bad: String) throws {
        for name in ["one", "two", "three", bad] {
            try SignalWriter.write(path: daemon.folder.file("library/\(name).wav"), kind: .wav16, signal: .kick(amplitude: 0.8), duration: 0.4)
        }
    }

    @Test(arguments: [("crash:poison", "poison", "crashed"), ("hang:stuck", "stuck", "hung")])
    func aFileThatBreaksItsWorkerIsQuarantinedAndTheRestIndexed(fault: String, bad: String, verdict: String) throws {
        let daemon = DaemonProcess()
        daemon.extraEnvironment = ["LOOPD_WORKER_FAULT": fault]
        // A short deadline, so the hang is noticed in a second.
        daemon.configText = "[analysis]\ndeadline_seconds = 1\n"
        try writeLibrary(daemon, bad: bad)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let records = try daemon.search()
        #expect(records.count == 4)
        let quarantined = try #require(records.first { $0.path.hasSuffix("/\(bad).wav") })
        #expect(quarantined.error?.hasPrefix("Quarantined: decoding this file \(verdict) the analysis worker twice") == true, "\(quarantined.error ?? "no error")")
        #expect(quarantined.hash?.count == 64, "the hash is still known, for moves")
        for record in records where record.id != quarantined.id {
            #expect(record.error == nil && record.duration != nil, "\(record.path)")
        }
        #expect(daemon.log.all.contains { $0.contains("Quarantined") && $0.contains(bad) })

        // Not tried again until it changes: a rescan analyses nothing.
        let client = try RPCClient(socketPath: daemon.socket)
        let before: StatusReport = try client.call(LoopMethod.status)
        let _: RescanReply = try client.call(LoopMethod.rescan, params: RescanParams())
        try daemon.sync()
        let after: StatusReport = try client.call(LoopMethod.status)
        #expect(after.analyzedSinceStart == before.analyzedSinceStart)

        // Fresh workers keep analysing new files.
        try SignalWriter.write(path: daemon.folder.file("library/later.wav"), kind: .wav16, signal: .kick(amplitude: 0.8), duration: 0.4)
        try daemon.sync()
        #expect(try daemon.search().first { $0.path.hasSuffix("/later.wav") }?.error == nil)
    }
}
