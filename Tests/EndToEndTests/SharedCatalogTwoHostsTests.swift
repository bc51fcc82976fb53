#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import LoopCore
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// Two servers sharing one catalogue: each a real loopd with its own library and a real loopweb
/// publishing to one real PostgreSQL. Files of one are found and downloaded through the other.
@Suite(.serialized, .enabled(if: TemporaryPostgres.unavailableReason == nil, "\(TemporaryPostgres.unavailableReason ?? "")"))
final class SharedCatalogTwoHostsTests {
    let postgres: TemporaryPostgres
    let studio = DaemonProcess()
    let friend = DaemonProcess()
    var studioWeb: Web?
    var friendWeb: Web?
    /// A reader on the friend's server, who searches everywhere.
    var token = ""

    /// One loopweb, and curl as its client.
    struct Web {
        let process: SpawnedProcess
        let base: String
        let folder: String

        struct Reply {
            var status: Int
            var headers: [String: String]
            var body: Data
            var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
            var detail: String { json?["detail"] as? String ?? String(decoding: body, as: UTF8.self) }
        }

        func get(_ path: String, token: String? = nil, headers: [String] = [], method: String = "GET", json: String? = nil) throws -> Reply {
            var arguments = ["-s", "-g", "-X", method, "-D", folder + "/headers.txt", "-o", folder + "/body.bin", "-w", "%{http_code}"]
            if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
            if let token { arguments += ["-H", "Authorization: Bearer " + token] }
            for header in headers { arguments += ["-H", header] }
            let result = try ChildProcess.run("/usr/bin/curl", arguments + [path.hasPrefix("http") ? path : base + path])
            var parsed: [String: String] = [:]
            for line in ((try? String(contentsOfFile: folder + "/headers.txt", encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let body = (try? Data(contentsOf: URL(fileURLWithPath: folder + "/body.bin"))) ?? Data()
            return Reply(status: Int(result.output.suffix(3)) ?? 0, headers: parsed, body: body)
        }
    }

    init() throws {
        postgres = try TemporaryPostgres()
        try studio.start()
        try friend.start()
        #expect(try friend.loopctl(["user", "add", "alice", "--role", "reader", "--no-password"]).status == 0)
        token = try friend.loopctl(["token", "create", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        studioWeb = try startWeb(studio, host: "studio")
        friendWeb = try startWeb(friend, host: "friend")
    }

    deinit {
        studioWeb?.process.terminate()
        friendWeb?.process.terminate()
        _ = studio.stop()
        _ = friend.stop()
    }

    func startWeb(_ daemon: DaemonProcess, host: String) throws -> Web {
        let process = try SpawnedProcess(
            try DaemonProcess.binary("loopweb"),
            ["--socket", daemon.socket, "--listen", "127.0.0.1:0", "--state-dir", daemon.folder.path + "/web",
             "--catalog", postgres.url, "--host", host, "--catalog-heartbeat", "2"],
            environment: daemon.environment
        )
        let serving = process.standardError.wait(timeout: 30) { $0.joined().contains("loopweb is serving") }
        let line = process.standardError.all.joined()
        #expect(serving, "loopweb did not start: \(line)")
        var base = ""
        if let start = line.range(of: "http://"), let end = line.range(of: "/api/v1/", range: start.upperBound..<line.endIndex) {
            base = String(line[start.lowerBound..<end.lowerBound])
        }
        return Web(process: process, base: base, folder: daemon.folder.path)
    }

    /// The sounds the friend's server finds everywhere for `query`.
    func everywhere(_ query: String) throws -> [[String: Any]] {
        let reply = try #require(friendWeb).get("/api/v1/sounds?everywhere=true&q=" + query, token: token)
        guard reply.status == 200 else { throw Web.Failure(description: "search answered \(reply.status): \(reply.detail)") }
        return reply.json?["results"] as? [[String: Any]] ?? []
    }

    @Test func aFileOnOneHostIsFoundAndDownloadedThroughTheOther() throws {
        let friendWeb = try #require(friendWeb)
        let path = studio.folder.file("library/Loops/Rolling Bass 124.wav")
        let started = Date()
        try SignalWriter.write(path: path, kind: .wav16, signal: .sine(frequency: 55, amplitude: 0.5), duration: 1, sampleRate: 44100, channels: 2)
        #expect(eventually { try everywhere("rolling").count == 1 })
        print("A file dropped on host studio was found through host friend after \(Int(Date().timeIntervalSince(started) * 1000)) ms (analysis included).")
        let sound = try #require(try everywhere("rolling").first)
        #expect(sound["host"] as? String == "studio" && sound["available"] as? Bool == true)
        #expect(sound["url"] is NSNull)
        let download = try #require(sound["download"] as? String)
        #expect(download.hasPrefix(friendWeb.base + "/api/v1/hosts/studio/sounds/"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let hash = try #require(try studio.search().first?.hash)

        // loopctl asks the same of the friend's server.
        let remote = ["--server", friendWeb.base, "--token", token]
        let listed = try friend.loopctl(["search", "--everywhere", "rolling", "--sort", "name"] + remote + ["--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let page = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let sounds = page?["sounds"] as? [[String: Any]] ?? []
        #expect(sounds.map { "\($0["host"] ?? ""):\($0["name"] ?? ""):\($0["download"] ?? "")" } == ["studio:Rolling Bass 124.wav:\(download)"])
        let table = try friend.loopctl(["search", "--everywhere", "rolling"] + remote)
        #expect(table.status == 0 && table.stdout.contains("studio") && table.stdout.contains("Loops/Rolling Bass 124.wav"), "\(table.stdout)")
        #expect(try friend.loopctl(["search", "--everywhere", "nothing-like-this"] + remote).status == 1)
        let local = try friend.loopctl(["search", "--everywhere", "rolling"])
        #expect(local.status == 2 && local.stderr.contains("--server"), "--everywhere needs a loopweb server")

        let whole = try friendWeb.get(download, token: token)
        #expect(whole.status == 200, "\(whole.detail)")
        #expect(whole.body == bytes)
        #expect(whole.headers["etag"] == "\"\(hash)\"")
        #expect(ContentHasher.hex(SHA256.hash(data: whole.body)) == hash)
        let part = try friendWeb.get(download, token: token, headers: ["Range: bytes=100-199"])
        #expect(part.status == 206 && part.body == bytes[100..<200])
        #expect(part.headers["content-range"] == "bytes 100-199/\(bytes.count)")
        #expect(try friendWeb.get(download).status == 401, "a download through the friend needs the friend's login")

        // The catalogue no longer lists the bytes the host has: nothing is passed on.
        _ = try postgres.psql("UPDATE catalog_sound SET hash = repeat('0', 64) WHERE host = 'studio'")
        let changed = try friendWeb.get(download, token: token)
        #expect(changed.status == 502 && changed.body.count < bytes.count, "\(changed.detail)")
    }

    @Test func requestsBetweenServersAreSignedPerHostAndOnlyForPublicFiles() throws {
        let studioWeb = try #require(studioWeb), friendWeb = try #require(friendWeb)
        let open = studio.folder.file("library/Kits/Open Hat.wav"), closed = studio.folder.file("library/Kits/Private Hat.wav")
        for path in [open, closed] {
            try SignalWriter.write(path: path, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 7), duration: 0.2, sampleRate: 44100, channels: 1)
        }
        #expect(chmod(closed, 0o600) == 0)
        try studio.sync()
        let records = try studio.search()
        let closedID = try #require(records.first { $0.path == closed }?.id)
        #expect(eventually { try everywhere("hat").count == 1 }, "only the file any user of the studio may read is found")
        #expect(try everywhere("hat").first?["name"] as? String == "Open Hat.wav")
        #expect(try friendWeb.get("/api/v1/hosts/studio/sounds/\(closedID)/download", token: token).status == 404)
        #expect(try friendWeb.get("/api/v1/hosts/nowhere/sounds/1/download", token: token).status == 404)
        let openID = try #require(records.first { $0.path == open }?.id)
        #expect(try friendWeb.get("/api/v1/hosts/studio/sounds/\(openID)/download", token: token).status == 200)

        // Hostile callers of the studio's peer route: no token, a forged one, one signed for another host.
        let secret = try #require(Data(base64Encoded: try postgres.psql("SELECT encode(value, 'base64') FROM catalog_secret WHERE name = 'peer'")))
        #expect(secret.count == 32)
        func signed(for host: String, id: Int64, expires: Int64 = Int64(Date().timeIntervalSince1970) + 60) -> String {
            let key = HMAC<SHA256>.authenticationCode(for: Data("OpenLoop requests to host \(host)".utf8), using: SymmetricKey(data: secret))
            var message = Data()
            for value in [id, expires] { withUnsafeBytes(of: value.bigEndian) { message.append(contentsOf: $0) } }
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(key)))
            return (message + Data(mac)).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let served = try studioWeb.get("/api/v1/peer/sounds/" + signed(for: "studio", id: openID))
        #expect(served.status == 200, "a well-signed request is served: \(served.detail)")
        #expect(try studioWeb.get("/api/v1/peer/sounds/" + signed(for: "friend", id: openID)).status == 404)
        #expect(try studioWeb.get("/api/v1/peer/sounds/" + signed(for: "studio", id: closedID)).status == 404)
        #expect(try studioWeb.get("/api/v1/peer/sounds/" + signed(for: "studio", id: openID, expires: 1000)).status == 410)
        #expect(try studioWeb.get("/api/v1/peer/sounds/AAAA" + String(repeating: "x", count: 60)).status == 404)
        #expect(try studioWeb.get("/api/v1/peer/sounds/" + String(repeating: "x", count: 5000)).status == 404)
    }

    /// Favourites and collections kept in the catalogue: alice, known by that name on both servers,
    /// marks a studio sound through the friend's server and sees it through the studio's; her
    /// collection holds sounds of both hosts; bob sees neither until she shares the collection.
    @Test func favouritesAndCollectionsMadeThroughOneServerAreSeenThroughTheOther() throws {
        let studioWeb = try #require(studioWeb), friendWeb = try #require(friendWeb)
        #expect(try studio.loopctl(["user", "add", "alice", "--role", "writer", "--no-password"]).status == 0)
        #expect(try studio.loopctl(["user", "add", "bob", "--role", "reader", "--no-password"]).status == 0)
        let aliceAtStudio = try studio.loopctl(["token", "create", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bobAtStudio = try studio.loopctl(["token", "create", "bob"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try SignalWriter.write(path: studio.folder.file("library/Loops/Dusty Keys.wav"), kind: .wav16,
                               signal: .sine(frequency: 330, amplitude: 0.4), duration: 0.5, sampleRate: 44100, channels: 2)
        try SignalWriter.write(path: friend.folder.file("library/Loops/Dusty Drums.wav"), kind: .wav16,
                               signal: .noise(amplitude: 0.3, seed: 3), duration: 0.5, sampleRate: 44100, channels: 2)
        #expect(eventually { try everywhere("dusty").count == 2 })
        let found = try everywhere("dusty")
        let keys = try #require(found.first { $0["host"] as? String == "studio" }?["id"] as? Int)
        let drums = try #require(found.first { $0["host"] as? String == "friend" }?["id"] as? Int)

        // A favourite made through the friend's server (by loopctl) is seen through the studio's.
        func loopctl(_ web: Web, _ token: String, _ arguments: [String]) throws -> DaemonProcess.Output {
            try studio.loopctl(["--server", web.base, "--token", token] + arguments)
        }
        let marked = try loopctl(friendWeb, token, ["everywhere", "fav", "studio:\(keys)"])
        #expect(marked.status == 0 && marked.stdout.contains("Marked 1 sound"), "\(marked.stderr)")
        func names(_ reply: Web.Reply) -> [String] {
            (reply.json?["results"] as? [[String: Any]] ?? []).map { "\($0["host"] ?? ""):\($0["name"] ?? "")" }
        }
        let seen = try studioWeb.get("/api/v1/favourites?everywhere=true", token: aliceAtStudio)
        #expect(seen.status == 200 && names(seen) == ["studio:Dusty Keys.wav"], "\(seen.detail)")
        struct Sound: Decodable { var host: String; var name: String }
        let listed = try studio.loopctlJSON(["--server", studioWeb.base, "--token", aliceAtStudio, "everywhere", "favs"], as: [Sound].self)
        #expect(listed.map { $0.host + ":" + $0.name } == ["studio:Dusty Keys.wav"])
        let unknown = try loopctl(friendWeb, token, ["everywhere", "fav", "studio:999999"])
        #expect(unknown.status == 1 && unknown.stderr.contains("studio:999999"), "no such sound: \(unknown.status) \(unknown.stderr)")
        #expect(try loopctl(friendWeb, token, ["everywhere", "fav", "studio"]).status == 2, "a sound is named HOST:ID")
        #expect(names(try studioWeb.get("/api/v1/favourites?everywhere=true", token: bobAtStudio)).isEmpty, "bob has no favourites of alice's")
        #expect(try friendWeb.get("/api/v1/hosts/studio/sounds/999999/favourite", token: token, method: "PUT").status == 404)
        #expect(try friendWeb.get("/api/v1/hosts/studio/sounds/\(keys)/favourite", method: "PUT").status == 401)

        // A collection made through the studio holds sounds of both hosts; the friend's server shows it.
        let made = try studioWeb.get("/api/v1/collections?everywhere=true", token: aliceAtStudio, method: "POST", json: "{\"name\": \"Dusty set\"}")
        #expect(made.status == 201, "\(made.detail)")
        let added = try studioWeb.get("/api/v1/collections/Dusty%20set/hosts/studio/sounds/\(keys)", token: aliceAtStudio, method: "PUT")
        #expect(added.status == 200 && added.json?["changed"] as? Int == 1, "\(added.detail)")
        let addedByLoopctl = try loopctl(studioWeb, aliceAtStudio, ["everywhere", "add", "Dusty set", "studio:\(keys)", "friend:\(drums)"])
        #expect(addedByLoopctl.status == 0 && addedByLoopctl.stdout.contains("Added 1 sound to 'Dusty set' (1 already in it)"), "\(addedByLoopctl.stderr)")
        // Its owner reorders it; the new order is what every server shows.
        struct Contents: Decodable { var sounds: [Sound] }
        let moved = try loopctl(studioWeb, aliceAtStudio, ["everywhere", "move", "Dusty set", "friend:\(drums)", "--to-start"])
        #expect(moved.status == 0 && moved.stdout.contains("2 changed place"), "\(moved.stdout) \(moved.stderr)")
        let reordered = try studio.loopctlJSON(["--server", friendWeb.base, "--token", token, "everywhere", "show", "Dusty set"], as: Contents.self)
        #expect(reordered.sounds.map(\.host) == ["friend", "studio"])
        let beforeItself = try loopctl(studioWeb, aliceAtStudio, ["everywhere", "move", "Dusty set", "friend:\(drums)", "--before", "friend:\(drums)"])
        #expect(beforeItself.status == 2 && beforeItself.stderr.contains("among the sounds being moved"), "\(beforeItself.stderr)")
        let shown = try friendWeb.get("/api/v1/collections/Dusty%20set?everywhere=true", token: token)
        #expect(shown.status == 200 && Set(names(shown)) == ["studio:Dusty Keys.wav", "friend:Dusty Drums.wav"], "\(shown.detail)")
        #expect(try studioWeb.get("/api/v1/collections/Dusty%20set?everywhere=true&owner=alice", token: bobAtStudio).status == 404, "not shared yet")
        let sharing = try studioWeb.get("/api/v1/collections?everywhere=true", token: aliceAtStudio, method: "POST", json: "{\"name\": \"Dusty set\", \"shared\": true}")
        #expect(sharing.status == 201 && sharing.json?["items"] as? Int == 2, "\(sharing.detail)")
        #expect(names(try studioWeb.get("/api/v1/collections/Dusty%20set?everywhere=true&owner=alice", token: bobAtStudio)).count == 2)
        let shownToBob = try loopctl(studioWeb, bobAtStudio, ["everywhere", "show", "Dusty set", "--owner", "alice"])
        #expect(shownToBob.status == 0 && shownToBob.stdout.contains("shared collection of alice") && shownToBob.stdout.contains("Dusty Drums.wav"), "\(shownToBob.stderr)")
        #expect(try loopctl(studioWeb, bobAtStudio, ["everywhere", "collections"]).stdout.contains("Dusty set"), "a shared collection is listed to everyone")
        #expect(try studioWeb.get("/api/v1/collections/Dusty%20set/hosts/friend/sounds/\(drums)", token: bobAtStudio, method: "DELETE").status == 404,
                "bob cannot change alice's collection")

        // A sound gone from its host leaves the favourites and collections with it.
        try FileManager.default.removeItem(atPath: studio.folder.file("library/Loops/Dusty Keys.wav"))
        #expect(eventually { try everywhere("dusty").count == 1 })
        #expect(names(try friendWeb.get("/api/v1/favourites?everywhere=true", token: token)).isEmpty)
        #expect(names(try friendWeb.get("/api/v1/collections/Dusty%20set?everywhere=true", token: token)) == ["friend:Dusty Drums.wav"])
        let deleted = try friendWeb.get("/api/v1/collections/Dusty%20set?everywhere=true", token: token, method: "DELETE")
        #expect(deleted.status == 204)
        #expect(try postgres.psql("SELECT count(*) FROM catalog_collection_item") == "0")
    }

    @Test func aSilentHostsFilesAreUnavailableUntilItReturns() throws {
        try SignalWriter.write(path: studio.folder.file("library/Pads/Warm Pad.wav"), kind: .wav16,
                               signal: .sine(frequency: 220, amplitude: 0.4), duration: 0.5, sampleRate: 44100, channels: 2)
        #expect(eventually { try everywhere("warm").first?["available"] as? Bool == true })
        let download = try #require(try everywhere("warm").first?["download"] as? String)
        studioWeb?.process.terminate()
        studioWeb = nil
        #expect(eventually { try everywhere("warm").first?["available"] as? Bool == false }, "still listed, as unavailable")
        let refused = try #require(friendWeb).get(download, token: token)
        #expect(refused.status == 503, "\(refused.detail)")
        studioWeb = try startWeb(studio, host: "studio")
        #expect(eventually { try everywhere("warm").first?["available"] as? Bool == true })
        #expect(eventually { try #require(friendWeb).get(download, token: token).status == 200 }, "downloads again through its new address")
    }
}

extension SharedCatalogTwoHostsTests.Web {
    struct Failure: Error, CustomStringConvertible { var description: String }
}
