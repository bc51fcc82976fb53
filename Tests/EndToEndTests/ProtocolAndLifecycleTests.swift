#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

@Suite(.serialized) struct ProtocolAndLifecycleTests {
    @Test func unknownMethodsAndGarbageGetSpecErrors() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try RPCClient(socketPath: daemon.socket)
        let unknown = String(decoding: try client.exchange(Data(#"{"jsonrpc":"2.0","id":7,"method":"launchMissiles"}"#.utf8)), as: UTF8.self)
        #expect(unknown.contains("\"code\":-32601"))
        #expect(unknown.contains("\"id\":7"))
        let garbage = String(decoding: try client.exchange(Data("}}not json".utf8)), as: UTF8.self)
        #expect(garbage.contains("\"code\":-32700"))
        let badParams = String(decoding: try client.exchange(Data(#"{"jsonrpc":"2.0","id":8,"method":"search","params":{"limit":"ten"}}"#.utf8)), as: UTF8.self)
        #expect(badParams.contains("\"code\":-32602"))
        let noSuchFile = String(decoding: try client.exchange(Data(#"{"jsonrpc":"2.0","id":9,"method":"get","params":{"id":424242}}"#.utf8)), as: UTF8.self)
        #expect(noSuchFile.contains("\"code\":-32001"))
        // The same connection, and others, still work.
        let status: StatusReport = try client.call(LoopMethod.status)
        #expect(status.roots.map(\.path) == [daemon.library])
        let other = try daemon.loopctl(["status"])
        #expect(other.status == 0)
        #expect(other.stdout.contains("Library:  \(daemon.library) (online)"))
    }

    @Test func batchesWorkOverTheSocket() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try RPCClient(socketPath: daemon.socket)
        let reply = try client.exchange(Data(#"[{"jsonrpc":"2.0","id":1,"method":"sync"},{"jsonrpc":"2.0","id":2,"method":"search","params":{"text":"x"}}]"#.utf8))
        let replies = try #require(try JSONSerialization.jsonObject(with: reply) as? [[String: Any]])
        #expect(Set(replies.compactMap { $0["id"] as? Int }) == [1, 2])
    }

    @Test func aSecondDaemonOnTheSameSocketRefuses() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let other = TemporaryDirectory("other")
        let loopd = try DaemonProcess.binary("loopd")
        let output = try DaemonProcess.run(loopd, ["--library", daemon.library, "--state-dir", other.path + "/state", "--socket", daemon.socket], environment: daemon.environment)
        #expect(output.status != 0)
        #expect(output.stderr.contains("Another loopd is already serving \(daemon.socket)"))
        #expect(!FileManager.default.fileExists(atPath: other.path + "/state"), "the refused daemon touched nothing")
        #expect(try daemon.loopctl(["status"]).status == 0, "the first daemon keeps its socket")
    }

    @Test func aWaitingSyncDoesNotHoldUpShutdown() throws {
        let daemon = DaemonProcess()
        daemon.configText = "[watch]\nsettle_ms = 60000\n"
        try daemon.start()
        try daemon.sync()  // the library is watched from here on
        // A file created and held open: no close event, so it waits to settle and sync waits with it.
        let fd = open(daemon.library + "/still-open.wav", O_CREAT | O_WRONLY, 0o644)
        defer { close(fd) }
        let client = try RPCClient(socketPath: daemon.socket)
        var waiting = false
        let until = Date().addingTimeInterval(20)
        while !waiting && Date() < until {
            let status: StatusReport = try client.call(LoopMethod.status)
            waiting = status.pending > 0
        }
        try #require(waiting, "the new file waits to settle")
        let syncResult = Collector<String>()
        let socket = daemon.socket
        Thread.detachNewThread {
            do {
                let reply: SyncReply = try RPCClient(socketPath: socket).call(LoopMethod.sync)
                syncResult.append("returned \(reply)")
            } catch {
                syncResult.append("\(error)")
            }
        }
        var syncing = false
        let deadline = Date().addingTimeInterval(20)
        while !syncing && Date() < deadline {
            let status: StatusReport = try client.call(LoopMethod.status)
            syncing = status.syncsWaiting == 1
        }
        try #require(syncing, "the sync is waiting")
        let ended = Collector<Int32>()
        Thread.detachNewThread { ended.append(daemon.stop()) }
        #expect(ended.wait(timeout: 20) { !$0.isEmpty }, "loopd exits although a sync was waiting")
        #expect(ended.all.first == 0)
        #expect(syncResult.wait(timeout: 20) { !$0.isEmpty })
        #expect(syncResult.all.first?.contains("Shutting down") == true, "\(syncResult.all)")
    }

    @Test func badConfigStopsStartupNamingTheKey() throws {
        let daemon = DaemonProcess()
        let config = daemon.folder.file("bad.toml")
        try "[rpc]\nsockt = \"/tmp/x.sock\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let loopd = try DaemonProcess.binary("loopd")
        let output = try DaemonProcess.run(loopd, ["--config", config], environment: daemon.environment)
        #expect(output.status != 0)
        #expect(output.stderr == "loopd: Config file \(config) has an unknown key 'rpc.sockt'.\n")
        let missing = try DaemonProcess.run(loopd, ["--library", daemon.folder.path + "/nope"], environment: daemon.environment)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("Library root \(daemon.folder.path)/nope does not exist"))
    }

    @Test func theClientSaysWhenNoDaemonRuns() throws {
        let daemon = DaemonProcess()
        let output = try daemon.loopctl(["status"])
        #expect(output.status == 3, "exit code 3: daemon unreachable")
        #expect(output.stderr == "loopctl: loopd is not running: nothing listens on \(daemon.socket) (start it, or pass --socket / set LOOPD_SOCKET).\n")
    }

    @Test func textOutputForPeople() throws {
        let daemon = DaemonProcess()
        try SignalWriter.write(path: daemon.folder.file("library/Kicks/Kick 808.wav"), kind: .wav16, signal: .kick(amplitude: 0.9), duration: 1)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let table = try daemon.loopctl(["search", "kick"])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID  FILE") == true)
        #expect(lines.count == 2)
        #expect(lines.last?.contains("Kicks/Kick 808.wav") == true)
        let waveform = try daemon.loopctl(["waveform", daemon.library + "/Kicks/Kick 808.wav", "--width", "40"])
        #expect(waveform.status == 0)
        let drawing = waveform.stdout.split(separator: "\n").dropFirst()
        #expect(drawing.count == 8)
        #expect(drawing.allSatisfy { $0.count == 40 })
        #expect(waveform.stdout.contains("█"))
        let globalFirst = try daemon.loopctl(["--json", "--socket", daemon.socket, "sync"])
        #expect(globalFirst.status == 0)
        #expect(globalFirst.stdout.contains("\"cookie\" : true"))
        let none = try daemon.loopctl(["search", "nothing-matches-this"])
        #expect(none.stdout == "No matches.\n" && none.status == 1, "no results exit 1")
    }
}
