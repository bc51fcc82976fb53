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

/// A real loopd against the requests its most demanding users and an attacker
/// would send: each case once took the daemon down, filled its memory or
/// answered what the caller should not learn.
@Suite struct HostileClientTests {
    static let otherUser: (uid: UInt32, gid: UInt32) = (4243, 4243)

    func writeSamples(in daemon: DaemonProcess) throws {
        for (index, name) in ["Drums/Kick 1.wav", "Drums/Kick 2.wav", "Drums/Kick 2 copy.wav"].enumerated() {
            try SignalWriter.write(path: daemon.folder.file("library/" + name), kind: .wav16,
                                   interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: UInt64(min(index, 1))), sampleRate: 44100)
        }
    }

    @Test(.timeLimit(.minutes(3))) func deepQueriesAndHugeBatchesAreRefusedAndTheDaemonStaysUp() throws {
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        daemon.configText = "[limits]\nbatch_calls = 50\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()

        // 17,000 levels crashed loopd (recursion on the stack); long runs of NOT likewise.
        let parentheses = String(repeating: "(", count: 17000) + "kick" + String(repeating: ")", count: 17000)
        for arguments in [["search", parentheses], ["fav", "--where", parentheses], ["search", String(repeating: "NOT ", count: 30000) + "kick"], ["search", "bpm:nan"]] {
            let refused = try daemon.loopctl(arguments)
            #expect(refused.status == 2, "a usage error, exit 2: \(refused.stderr.prefix(200))")
            #expect(refused.stderr.hasPrefix("loopctl: Invalid query: "), "one sentence: \(refused.stderr.prefix(200))")
        }
        let reply = try RPCClient(socketPath: daemon.socket).exchange(Data(#"{"jsonrpc":"2.0","id":1,"method":"find","params":{"query":"\#(parentheses)"}}"#.utf8))
        #expect(String(decoding: reply, as: UTF8.self).contains("\"code\":-32006"))

        // One line of 300 calls drove memory into gigabytes: refused whole; 50 are served.
        let dupes = { (count: Int) in "[" + (0..<count).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"dupes"}"# }.joined(separator: ",") + "]" }
        let client = try RPCClient(socketPath: daemon.socket)
        #expect(String(decoding: try client.exchange(Data(dupes(300).utf8)), as: UTF8.self).contains("\"code\":-32004"))
        let served = try #require(try JSONSerialization.jsonObject(with: try client.exchange(Data(dupes(50).utf8))) as? [[String: Any]])
        #expect(served.count == 50 && served.allSatisfy { $0["result"] != nil })
        #expect(try daemon.status().files == 3, "still answering")
        #expect(daemon.process?.isRunning == true)
    }

    @Test(.timeLimit(.minutes(3))) func oneUserCannotTakeEveryConnection() throws {
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        daemon.configText = "[rpc]\nsocket_mode = \"0666\"\n[limits]\nconnections_per_user = 16\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        // Hold every connection this user may have, each proven admitted by a call.
        let held = try (0..<16).map { _ in try RPCClient(socketPath: daemon.socket) }
        for client in held { let _: StatusReport = try client.call(LoopMethod.status) }
        let refused = try RPCClient(socketPath: daemon.socket).exchange(Data(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#.utf8))
        #expect(String(decoding: refused, as: UTF8.self).contains("\"code\":-32011"), "\(String(decoding: refused, as: UTF8.self))")
        let asUs = try daemon.loopctl(["status"])
        #expect(asUs.status == 7 && asUs.stderr.contains("Too many connections"), "\(asUs.stderr)")
        if getuid() == 0 {
            // Someone else is still served.
            let other = try daemon.loopctl(["status", "--json"], as: Self.otherUser)
            #expect(other.status == 0, "\(other.stderr)")
        }
        // The connections held are still served.
        let _: StatusReport = try held[0].call(LoopMethod.status)
    }

    @Test(.timeLimit(.minutes(3))) func unusualAudioIsAnalysedNotQuarantined() throws {
        let daemon = DaemonProcess()
        var samples = (0..<22050).map { Float(sin(Double($0) * 0.05) * 0.5) }
        samples[100] = .nan
        samples[200] = .infinity
        samples[300] = 1e20
        try SignalWriter.write(path: daemon.folder.file("library/Odd/stray values.wav"), kind: .wavFloat, interleaved: samples, sampleRate: 44100)
        try SignalWriter.write(path: daemon.folder.file("library/Odd/low rate.wav"), kind: .wavFloat,
                               interleaved: (0..<300).map { Float(sin(Double($0) * 0.3)) }, sampleRate: 100)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let records = try daemon.search(["path:Odd"])
        #expect(records.count == 2)
        let stray = try #require(records.first { $0.path.hasSuffix("stray values.wav") })
        #expect(stray.duration == 0.5 && stray.peakDb != nil, "analysed: \(stray.error ?? "")")
        #expect(stray.error == "The audio was analysed after a repair: 2 samples were not a number or infinite and read as silence; 1 sample was more than 60 dB above full scale and held at that level.")
        let low = try #require(records.first { $0.path.hasSuffix("low rate.wav") })
        #expect(low.sampleRate == 100 && low.duration == 3 && low.error == nil, "\(low.error ?? "")")
    }

    /// A worker that cannot start (no descriptors left, a binary replaced during an upgrade) is the
    /// machine's failure, not the file's: nothing is stored, and the file is analysed once workers start.
    @Test(.timeLimit(.minutes(3))) func aWorkerThatCannotStartIsARetryNotTheFilesError() throws {
        let daemon = DaemonProcess()
        let copy = daemon.folder.path + "/loopd-copy"
        try FileManager.default.copyItem(atPath: try DaemonProcess.binary("loopd"), toPath: copy)
        daemon.executable = copy
        // An empty library: no worker has started yet.
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        // Workers start from loopd's own executable: gone, none can start.
        try FileManager.default.removeItem(atPath: copy)
        try SignalWriter.write(path: daemon.folder.file("library/Kick.wav"), kind: .wav16,
                               interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 1), sampleRate: 44100)
        #expect(daemon.log.wait(timeout: 30) { $0.contains { $0.contains("could not be started") && $0.contains("tried again later") } }, "the failure is logged")
        let meanwhile = try daemon.search(["kick"])
        #expect(meanwhile.isEmpty || meanwhile.allSatisfy { $0.error == nil }, "no record carries the machine's error: \(meanwhile.map(\.error))")
        try FileManager.default.copyItem(atPath: try DaemonProcess.binary("loopd"), toPath: copy)
        try daemon.sync()
        let record = try #require(try daemon.search(["kick"]).first)
        #expect(record.error == nil && record.duration != nil, "analysed once a worker could start: \(record.error ?? "")")
    }

    @Test(.timeLimit(.minutes(3))) func globalOptionsBeforeNestedCommandsAndVerifyOfHiddenFiles() throws {
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        daemon.configText = "[rpc]\nsocket_mode = \"0666\"\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let created = try daemon.loopctl(["--socket", daemon.socket, "collection", "create", "Session"])
        #expect(created.status == 0, "\(created.stderr)")
        let listed = try daemon.loopctl(["--json", "collection", "list"])
        #expect(listed.status == 0 && listed.stdout.contains("Session"), "\(listed.stderr)")
        guard getuid() == 0 else {
            print("HostileClientTests: not root, so verify as another user is skipped (setpriv needs root).")
            return
        }
        // A folder the other user cannot enter: nothing in it is theirs to learn, or to be told is missing.
        chmod(daemon.library + "/Drums", 0o700)
        let verified = try daemon.loopctl(["verify"], as: Self.otherUser)
        #expect(verified.status == 0 && verified.stdout.contains("Checked 0 files") && !verified.stdout.contains("MISSING"), "\(verified.stdout) \(verified.stderr)")
    }

    /// What a reader learns about a file follows what they may read on disk.
    @Test(.timeLimit(.minutes(3))) func readersLearnNothingOfFilesTheyCannotRead() throws {
        guard getuid() == 0 else {
            print("HostileClientTests: not root, so reading as another user is skipped (setpriv needs root).")
            return
        }
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        try SignalWriter.write(path: daemon.folder.file("library/Open/Kick open.wav"), kind: .wav16,
                               interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 7), sampleRate: 44100)
        daemon.configText = "[rpc]\nsocket_mode = \"0666\"\n[views]\nenabled = true\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        // One folder closed to others, one file closed to others in an open folder.
        chmod(daemon.library + "/Drums", 0o700)
        chmod(daemon.library + "/Open/Kick open.wav", 0o600)
        let hidden = daemon.library + "/Drums/Kick 1.wav"
        let other = Self.otherUser
        let found = try daemon.loopctl(["search", "--json", "--all", "kick"], as: other)
        #expect(found.status == 0 && !found.stdout.contains("Kick"), "no hidden file is listed: \(found.stdout)")
        #expect(try daemon.search(["kick"]).count == 4, "root sees every file")
        for arguments in [["info", hidden], ["waveform", hidden], ["similar", hidden], ["info", daemon.library + "/Open/Kick open.wav"]] {
            let refused = try daemon.loopctl(arguments, as: other)
            #expect(refused.status == 1 && refused.stderr.contains("is not in the index"), "\(arguments[0]): as for a file never indexed: \(refused.stderr)")
        }
        let id = try #require(try daemon.search(["path:Drums"]).first?.id)
        let byID = try RPCClientAs.exchange(daemon, user: other, #"{"jsonrpc":"2.0","id":1,"method":"peaks","params":{"id":\#(id)}}"#)
        #expect(byID.contains("\"code\":-32001") && !byID.contains("Drums"), "\(byID)")
        let dupes = try daemon.loopctl(["dupes", "--json"], as: other)
        #expect(dupes.status == 0 && !dupes.stdout.contains("Drums"), "\(dupes.stdout)")
        // The share's views and catalogue list only what the share's users (the root folder's group, or anyone) may read.
        #expect(try daemon.loopctl(["view", "rebuild"]).status == 0)
        let catalogue = try String(contentsOfFile: daemon.library + "/_Index/catalog.csv", encoding: .utf8)
        #expect(!catalogue.contains("Drums/") && !catalogue.contains("Kick open"), "\(catalogue)")
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/_Index/One-shots/Kick/Kick 1.wav"))
        // Opened up again, they are listed again.
        chmod(daemon.library + "/Drums", 0o755)
        let reopened = try daemon.loopctl(["search", "--json", "--all", "path:Drums"], as: other)
        #expect(reopened.stdout.contains("Kick 1.wav"), "\(reopened.stdout)")
    }

    /// `backup` once wrote as loopd wherever the caller named: over a root-owned file, through a
    /// link into the library, over loopd's own write-ahead log. Now the caller writes the file.
    @Test(.timeLimit(.minutes(3))) func aBackupIsWrittenWithTheCallersOwnRights() throws {
        guard getuid() == 0 else {
            print("HostileClientTests: not root, so the backup as a writers-group member is skipped (setpriv needs root).")
            return
        }
        let daemon = DaemonProcess()
        try writeSamples(in: daemon)
        // A writer (member of the writers group by its primary group) who is not root.
        let writer: (uid: UInt32, gid: UInt32) = (4244, 100)
        daemon.configText = "[rpc]\nsocket_mode = \"0666\"\n[access]\nwriters = \"users\"\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let rootOnly = daemon.folder.makeDirectory("root-only")
        let protected = rootOnly + "/precious.txt"
        try "root's".write(toFile: protected, atomically: true, encoding: .utf8)
        chmod(protected, 0o644)
        let linkIntoLibrary = daemon.folder.path + "/into-library"
        symlink(daemon.library, linkIntoLibrary)
        for target in [protected, linkIntoLibrary + "/index-copy.sqlite"] {
            let refused = try daemon.loopctl(["backup", target], as: writer)
            #expect(refused.status == 7, "\(target): \(refused.stderr)")
            #expect(refused.stderr.hasPrefix("loopctl: Cannot write "), "\(refused.stderr)")
        }
        for user in [writer, (uid: UInt32(0), gid: UInt32(0))] {
            let overOwnState = try daemon.loopctl(["backup", daemon.stateDirectory + "/index.sqlite-wal"], as: user)
            #expect(overOwnState.status == 2 && overOwnState.stderr.contains("state folder"), "not even root: \(overOwnState.stderr)")
        }
        #expect(try String(contentsOfFile: protected, encoding: .utf8) == "root's", "the root-owned file is untouched")
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/index-copy.sqlite"))
        #expect(try daemon.status().files == 3, "loopd's own state is intact")

        // Where the writer may write, the copy is written, complete and checked.
        let own = daemon.folder.makeDirectory("writer-home")
        chown(own, writer.uid, writer.gid)
        let written = try daemon.loopctl(["backup", own + "/index.sqlite", "--json"], as: writer)
        #expect(written.status == 0, "\(written.stderr)")
        var info = stat()
        #expect(stat(own + "/index.sqlite", &info) == 0 && info.st_uid == writer.uid && info.st_mode & 0o777 == 0o600, "owned by the writer, mode 0600")
        let copy = try IndexStore(path: own + "/index.sqlite")
        #expect(try copy.allRecords().count == 3)
        try copy.close()
        // A reader may not take a backup at all: it holds every user's data.
        let reader = try daemon.loopctl(["backup", own + "/reader.sqlite"], as: (4245, 4245))
        #expect(reader.status == 4, "\(reader.stderr)")
    }
}

/// One raw JSON-RPC line sent as another user: `setpriv` runs python3's socket module.
enum RPCClientAs {
    static func exchange(_ daemon: DaemonProcess, user: (uid: UInt32, gid: UInt32), _ line: String) throws -> String {
        let script = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ns.sendall(sys.argv[2].encode()+b'\\n')\nprint(s.makefile().readline(),end='')"
        let output = try DaemonProcess.run("/usr/bin/setpriv", ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--", "/usr/bin/python3", "-c", script, daemon.socket, line], environment: daemon.environment)
        return output.stdout
    }
}
