#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

@Suite(.serialized) struct CrashSafetyTests {
    /// SIGKILL at 20 random points of indexing, with the disk changing in
    /// between: the database stays sound, ids survive, and it converges.
    @Test func killedAtRandomMomentsTheIndexStaysSoundAndConverges() throws {
        let daemon = DaemonProcess()
        var random = SeededRandom(seed: 20)
        for index in 0..<150 {
            try SignalWriter.write(
                path: daemon.folder.file("library/set\(index % 10)/sample\(index).wav"), kind: .wav16,
                signal: .noise(amplitude: 0.3, seed: UInt64(index)), duration: 0.05 + Double(random.below(300)) / 1000
            )
        }
        var knownIDs: [String: Int64] = [:]
        var killedWhileBusy = 0
        for round in 0..<20 {
            try daemon.start()
            let client = try RPCClient(socketPath: daemon.socket)
            let target = random.below(30)
            // Ask the daemon how far it got, and kill it once it passes a random mark (or is idle).
            while true {
                let status: StatusReport = try client.call(LoopMethod.status)
                let idle = !status.scanning && status.pending + status.inFlight == 0
                if status.analyzedSinceStart >= target || idle {
                    if !idle { killedWhileBusy += 1 }
                    break
                }
            }
            daemon.signal(SIGKILL)
            daemon.stop()

            let store = try IndexStore(path: daemon.stateDirectory + "/index.sqlite")
            #expect(try store.integrityCheck() == ["ok"], "round \(round)")
            for record in try store.allRecords() {
                if let id = knownIDs[record.path] {
                    #expect(record.id == id, "\(record.path) kept its id through round \(round)")
                } else {
                    knownIDs[record.path] = record.id
                }
            }
            try store.close()
            // Change the disk while the daemon is down: a rename and a new file.
            let folder = daemon.library + "/set\(random.below(10))"
            if let victim = try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".wav") }).sorted().first {
                let renamed = "renamed-\(round)-\(victim)"
                try FileManager.default.moveItem(atPath: folder + "/" + victim, toPath: folder + "/" + renamed)
                if let id = knownIDs.removeValue(forKey: folder + "/" + victim) { knownIDs[folder + "/" + renamed] = id }
            }
            // New work for the next round to be killed in the middle of (some identical, as duplicates are).
            for added in 0..<12 {
                let signal: TestSignal = added % 3 == 0 ? .kick(amplitude: 0.5) : .noise(amplitude: 0.2, seed: UInt64(round * 100 + added))
                try SignalWriter.write(path: folder + "/added-\(round)-\(added).wav", kind: .wav16, signal: signal, duration: 0.1)
            }
        }
        #expect(killedWhileBusy >= 10, "most kills land while indexing (\(killedWhileBusy) of 20)")
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let records = try daemon.search()
        DiskComparison.expectEqual(disk: DiskComparison.walk(daemon.library), index: records)
        for record in records {
            if let id = knownIDs[record.path] { #expect(record.id == id, "\(record.path) kept its id") }
        }
    }
}
