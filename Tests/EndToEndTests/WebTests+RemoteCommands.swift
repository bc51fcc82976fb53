import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// loopctl's commands run on a loopweb server (`--server URL --token T`): the same commands and
/// wire types as on the socket, files named by id, paths shown inside the library only.
extension WebTests {
    func remote(_ arguments: [String], token: String? = nil) throws -> DaemonProcess.Output {
        try daemon.loopctl(arguments + ["--server", base, "--token", token ?? self.token])
    }

    @Test func searchInfoFavouritesAndCollectionsRunOnTheServer() throws {
        let found = try remote(["search", "dark", "--json"])
        #expect(found.status == 0, "\(found.stderr)")
        let page = try JSONDecoder().decode(FindResult.self, from: Data(found.stdout.utf8))
        #expect(page.records.map(\.id) == [id])
        #expect(page.records.first?.path == "Loops/Dark Pad ☃ 120.wav", "a path inside the library, not the server's")
        #expect(!found.stdout.contains(daemon.folder.path), "no server path leaves the server")

        let info = try remote(["info", String(id)])
        #expect(info.status == 0 && info.stdout.contains("Loops/Dark Pad ☃ 120.wav"), "\(info.stderr)")
        // Global options before the command name too, and from the environment's words.
        let hoisted = try daemon.loopctl(["--server", base, "--token", token, "info", String(id), "--json"])
        #expect(hoisted.status == 0, "\(hoisted.stderr)")

        // Favourites are the token's account's: seen through the API as well.
        #expect(try remote(["fav", String(id)]).status == 0)
        let favourites = try curl("/api/v1/favourites", token: token)
        #expect((favourites.json?["results"] as? [[String: Any]])?.compactMap { $0["id"] as? Int64 } == [id])
        let favourite = try remote(["search", "fav:yes", "--json"])
        #expect(try JSONDecoder().decode(FindResult.self, from: Data(favourite.stdout.utf8)).records.map(\.id) == [id])

        #expect(try remote(["collection", "create", "Set"]).status == 0)
        #expect(try remote(["collection", "add", "Set", "--where", "dark"]).status == 0)
        let shown = try remote(["collection", "show", "Set", "--json"])
        let contents = try JSONDecoder().decode(CollectionContents.self, from: Data(shown.stdout.utf8))
        #expect(contents.records.map(\.id) == [id] && contents.records.first?.path == "Loops/Dark Pad ☃ 120.wav")
        let listed = try remote(["collection", "list", "--json"])
        #expect(listed.status == 0 && listed.stdout.contains("\"Set\""), "\(listed.stderr)")
    }

    @Test func getAndExportDownloadVerifiedCopies() throws {
        let laptop = daemon.folder.path + "/laptop"
        let got = try remote(["get", String(id), laptop + "/"])
        #expect(got.status == 0, "\(got.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: laptop + "/Dark Pad ☃ 120.wav")) == bytes)
        let again = try remote(["get", String(id), laptop + "/"])
        #expect(again.status == 6 && again.stderr.contains("--force"), "an existing file is kept: \(again.stderr)")
        #expect(try remote(["get", String(id), laptop + "/", "--force"]).status == 0)
        // By query, as on the server.
        let byQuery = try remote(["get", "dark", laptop + "/byquery/"])
        #expect(byQuery.status == 0 && FileManager.default.fileExists(atPath: laptop + "/byquery/Dark Pad ☃ 120.wav"), "\(byQuery.stderr)")

        #expect(try remote(["collection", "create", "Out"]).status == 0)
        #expect(try remote(["collection", "add", "Out", String(id)]).status == 0)
        let exported = try remote(["export", "Out", laptop + "/out"])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: laptop + "/out/Dark Pad ☃ 120.wav")) == bytes)
        let zipped = try remote(["export", "Out", "--zip", laptop + "/out.zip"])
        #expect(zipped.status == 0, "\(zipped.stderr)")
        let listing = try ChildProcess.run("/usr/bin/python3", ["-m", "zipfile", "-l", laptop + "/out.zip"])
        #expect(listing.output.contains("Dark Pad ☃ 120.wav"), "\(listing.output)")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: laptop).contains { $0.hasSuffix(".openloop-part") }), "no partial file stays")
    }

    @Test func addUploadsVerifiedAndNeedsAWriter() throws {
        let laptop = daemon.folder.path + "/laptop-add"
        try FileManager.default.createDirectory(atPath: laptop, withIntermediateDirectories: true)
        let file = laptop + "/Snare Tight.wav"
        try SignalWriter.write(path: file, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 9), duration: 0.4, sampleRate: 44100, channels: 1)
        let refused = try remote(["add", file, "--to", "Drums"])
        #expect(refused.status == 4, "a reader may not add: \(refused.stderr)")
        let added = try remote(["add", file, "--to", "Drums", "--json"], token: writerToken)
        #expect(added.status == 0, "\(added.stderr)")
        let records = try JSONDecoder().decode([SampleRecord].self, from: Data(added.stdout.utf8))
        #expect(records.map(\.path) == ["Drums/Snare Tight.wav"])
        #expect(records.first?.hash == (try ContentHasher.sha256(path: file)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.folder.file("library/Drums/Snare Tight.wav"))) == (try Data(contentsOf: URL(fileURLWithPath: file))))
        let taken = try remote(["add", file, "--to", "Drums"], token: writerToken)
        #expect(taken.status != 0 && !taken.stderr.isEmpty, "a taken name is refused: \(taken.stderr)")
        let absolute = try remote(["add", file, "--to", "/etc"], token: writerToken)
        #expect(absolute.status == 2, "\(absolute.stderr)")
    }

    @Test func theServerTakesOnlySafeCallsNamedById() throws {
        let byPath = try remote(["info", daemon.folder.file("library/Loops/Dark Pad ☃ 120.wav")])
        #expect(byPath.status == 2 && byPath.stderr.contains("by id"), "\(byPath.stderr)")
        let serverOnly = try remote(["status"])
        #expect(serverOnly.status == 2 && serverOnly.stderr.contains("server itself"), "\(serverOnly.stderr)")
        let wrongToken = try remote(["search", "dark"], token: "olp_wrong")
        #expect(wrongToken.status == 4 && wrongToken.stderr.contains("401"), "\(wrongToken.stderr)")
        let noToken = try daemon.loopctl(["search", "dark", "--server", base])
        #expect(noToken.status == 2 && noToken.stderr.contains("token"), "\(noToken.stderr)")
        let unreachable = try daemon.loopctl(["search", "dark", "--server", "http://127.0.0.1:1", "--token", token])
        #expect(unreachable.status == 3, "\(unreachable.stderr)")

        // A hostile client on the route itself.
        func call(_ body: String) throws -> [String: Any] {
            let reply = try curl("/api/v1/rpc", token: token, method: "POST", json: body)
            #expect(reply.status == 200)
            return (reply.json?["error"] as? [String: Any]) ?? [:]
        }
        #expect(try call(#"{"jsonrpc":"2.0","id":1,"method":"account.add","params":{"name":"eve","role":"admin"}}"#)["code"] as? Int == -32601)
        #expect(try call(#"{"jsonrpc":"2.0","id":1,"method":"get","params":{"path":"/etc/passwd"}}"#)["code"] as? Int == -32602)
        #expect(try call(#"{"jsonrpc":"2.0","id":1,"method":"favourite","params":{"files":{"paths":["../../etc/passwd"]},"favourite":true}}"#)["code"] as? Int == -32602)
        #expect(try call(#"{"jsonrpc":"2.0","id":1,"method":"tag","params":{"folder":"/","add":["x"],"remove":[]}}"#)["code"] as? Int == -32602)
        #expect(try call(#"{"jsonrpc":"2.0","id":1,"method":"find","params":{"query":"bpm:abc"}}"#)["code"] as? Int == -32006)
        #expect(try call("[{}]")["code"] as? Int == -32700)
        #expect(try call(#"{"id":1,"method":"find"}"#)["code"] as? Int == -32600)
        #expect(try curl("/api/v1/rpc", method: "POST", json: #"{"jsonrpc":"2.0","id":1,"method":"find","params":{"query":""}}"#).status == 401)
        let largeBody = daemon.folder.path + "/large-call.json"
        try Data((#"{"jsonrpc":"2.0","id":1,"method":"find","params":{"query":""# + String(repeating: "a", count: 300_000) + "\"}}").utf8)
            .write(to: URL(fileURLWithPath: largeBody))
        let large = try curl("/api/v1/rpc", token: token, headers: ["Content-Type: application/json"], method: "POST", upload: largeBody)
        #expect(large.status == 413)
    }
}
