import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// loopweb with a real loopd behind it, and curl as the client.
@Suite(.serialized) final class WebTests {
    let daemon = DaemonProcess()
    var web: SpawnedProcess?
    var base = ""
    var token = ""
    /// A writer's token, for uploads.
    var writerToken = ""
    /// The bytes of the one file served.
    var bytes = Data()
    var id: Int64 = 0

    init() throws {
        // Open to every local user, so that one without rights meets loopd's refusal, not the socket's.
        daemon.configText = "[rpc]\nsocket_mode = \"0666\"\n"
        try daemon.start()
        let path = daemon.folder.file("library/Loops/Dark Pad ☃ 120.wav")
        try SignalWriter.write(path: path, kind: .wav16, signal: .sine(frequency: 220, amplitude: 0.4), duration: 1.0, sampleRate: 44100, channels: 2)
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try daemon.sync()
        id = try #require(try daemon.search().first?.id)
        #expect(try daemon.loopctl(["user", "add", "alice", "--role", "reader"], input: Self.alicePassword + "\n").status == 0)
        let created = try daemon.loopctl(["token", "create", "alice"])
        #expect(created.status == 0, "\(created.stderr)")
        token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try daemon.loopctl(["user", "add", "walt", "--role", "writer", "--no-password"]).status == 0)
        writerToken = try daemon.loopctl(["token", "create", "walt"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try startWeb()
    }

    static let alicePassword = "alice's password"

    /// Starts loopweb (again) and learns the address it serves.
    func startWeb(_ extra: [String] = []) throws {
        let web = try SpawnedProcess(
            try DaemonProcess.binary("loopweb"),
            ["--socket", daemon.socket, "--listen", "127.0.0.1:0", "--max-upload-bytes", "1000000", "--state-dir", daemon.folder.path + "/web"] + extra,
            environment: daemon.environment
        )
        self.web = web
        let serving = web.standardError.wait(timeout: 30) { $0.joined().contains("loopweb is serving") }
        let line = web.standardError.all.joined()
        #expect(serving, "loopweb did not start: \(line)")
        if let start = line.range(of: "http://"), let end = line.range(of: "/api/v1/", range: start.upperBound..<line.endIndex) {
            base = String(line[start.lowerBound..<end.lowerBound])
        }
    }

    deinit {
        web?.terminate()
        _ = daemon.stop()
    }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    /// One request with curl; headers are lower-cased.
    func curl(
        _ path: String, token: String? = nil, headers: [String] = [], method: String = "GET", upload: String? = nil, json: String? = nil, extra: [String] = []
    ) throws -> Reply {
        let folder = daemon.folder.path
        var arguments = ["-s", "-g", "-X", method, "-D", folder + "/headers.txt", "-o", folder + "/body.bin", "-w", "%{http_code}"]
        if method == "HEAD" { arguments = ["-s", "-g", "-I", "-D", folder + "/headers.txt", "-o", folder + "/body.bin", "-w", "%{http_code}"] }
        if let token { arguments += ["-H", "Authorization: Bearer " + token] }
        for header in headers { arguments += ["-H", header] }
        if let upload { arguments += ["--data-binary", "@" + upload] }
        if let json { arguments += ["-H", "Content-Type: application/json", "--data-binary", json] }
        arguments += extra
        let result = try ChildProcess.run("/usr/bin/curl", arguments + [base + path])
        var parsed: [String: String] = [:]
        let head = (try? String(contentsOfFile: folder + "/headers.txt", encoding: .utf8)) ?? ""
        for line in head.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = (try? Data(contentsOf: URL(fileURLWithPath: folder + "/body.bin"))) ?? Data()
        return Reply(status: Int(result.output.suffix(3)) ?? 0, headers: parsed, body: method == "HEAD" ? Data() : body)
    }

    @Test func healthNeedsNoTokenAndEverythingElseDoes() throws {
        #expect(try curl("/api/v1/health").status == 200)
        for path in ["/api/v1/sounds", "/api/v1/sounds/\(id)", "/api/v1/sounds/\(id)/download"] {
            let reply = try curl(path)
            #expect(reply.status == 401, "\(path)")
            #expect(reply.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            #expect(reply.json?["detail"] is String)
            #expect(try curl(path, token: "olp_notatoken").status == 401, "\(path) with a wrong token")
        }
        #expect(try curl("/api/v1/sounds", token: String(repeating: "x", count: 5000)).status == 401)
    }

    /// Every operation the OpenAPI document describes is served (none of them meets the router's own 404).
    @Test func theOpenAPIDocumentDescribesRoutesThatExist() throws {
        let reply = try curl("/api/v1/openapi.json")
        #expect(reply.status == 200)
        let paths = try #require(reply.json?["paths"] as? [String: [String: Any]])
        #expect(paths.count >= 8)
        // The event stream never ends by itself: WebTests+Events reads it.
        for (path, operations) in paths where path != "/events" {
            for method in operations.keys {
                let concrete = path.replacingOccurrences(of: "{id}", with: String(id)).replacingOccurrences(of: "{token}", with: "x").replacingOccurrences(of: "{host}", with: "elsewhere")
                    .replacingOccurrences(of: "{sha256}", with: String(repeating: "0", count: 64))
                let answer = try curl("/api/v1" + concrete, token: token, method: method.uppercased())
                if method == "head" {
                    // No body to tell which 404 it is: it must answer as GET does.
                    #expect(answer.status == (try curl("/api/v1" + concrete, token: token).status), "HEAD \(path): \(answer.status)")
                } else {
                    #expect(answer.status != 405 && !(answer.status == 404 && (answer.json?["detail"] as? String ?? "Not Found") == "Not Found"),
                            "\(method) \(path): \(answer.status) \(answer.text)")
                }
            }
        }
    }

    @Test func searchAnswersWithSoundsNamedByIdOnly() throws {
        let reply = try curl("/api/v1/sounds?q=pad&page_size=10", token: token)
        #expect(reply.status == 200, "\(reply.text)")
        let results = try #require(reply.json?["results"] as? [[String: Any]])
        #expect(results.count == 1)
        let sound = try #require(results.first)
        #expect(sound["id"] as? Int64 == id || (sound["id"] as? Int).map(Int64.init) == id)
        #expect(sound["name"] as? String == "Dark Pad ☃ 120.wav" && sound["folder"] as? String == "Loops")
        #expect(sound["path"] == nil && sound["root"] == nil, "no server path leaves loopweb")
        #expect(!reply.text.contains(daemon.library), "no server path leaves loopweb")
        #expect((sound["download"] as? String)?.hasSuffix("/api/v1/sounds/\(id)/download") == true)
        #expect(sound["bpm"] as? Double == 120 || sound["bpm"] is NSNull)
        #expect(reply.json?.keys.contains("next") == true && reply.json?.keys.contains("previous") == true)
        #expect(try curl("/api/v1/sounds?q=bpm:abc", token: token).status == 400)
        // As a form encodes it: '+' is a space, so a word and a field, not one odd word.
        let spaced = try curl("/api/v1/sounds?q=pad+format:wav", token: token)
        #expect(spaced.status == 200 && (spaced.json?["results"] as? [[String: Any]])?.count == 1, "\(spaced.text)")
        let both = try curl("/api/v1/sounds?q=dark+pad", token: token)
        #expect((both.json?["results"] as? [[String: Any]])?.count == 1, "\(both.text)")
        #expect(try curl("/api/v1/sounds?page_size=1000", token: token).status == 400)
        #expect(try curl("/api/v1/sounds?sort=loudest", token: token).status == 400)
        #expect(try curl("/api/v1/sounds?sort=duration_desc", token: token).status == 200)
    }

    @Test func aDownloadIsTheOriginalWithAStrongTagAndExactRanges() throws {
        let size = bytes.count
        let whole = try curl("/api/v1/sounds/\(id)/download", token: token)
        #expect(whole.status == 200 && whole.body == bytes)
        let tag = try #require(whole.headers["etag"])
        #expect(tag.count == 66 && !tag.hasPrefix("W/"), "the SHA-256 as a strong tag: \(tag)")
        #expect(whole.headers["content-type"] == "audio/wav" && whole.headers["accept-ranges"] == "bytes")
        #expect(whole.headers["content-disposition"]?.contains("filename*=UTF-8''Dark%20Pad%20%E2%98%83%20120.wav") == true)
        #expect(try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["If-None-Match: " + tag]).status == 304)

        let first = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: bytes=0-99"])
        #expect(first.status == 206 && first.body == bytes.prefix(100) && first.headers["content-range"] == "bytes 0-99/\(size)")
        let suffix = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: bytes=-10"])
        #expect(suffix.status == 206 && suffix.body == bytes.suffix(10) && suffix.headers["content-range"] == "bytes \(size - 10)-\(size - 1)/\(size)")
        let open = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: bytes=\(size - 5)-"])
        #expect(open.status == 206 && open.body == bytes.suffix(5))
        let past = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: bytes=\(size)-"])
        #expect(past.status == 416 && past.headers["content-range"] == "bytes */\(size)")
        // A range for another version of the file is not applied.
        let stale = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: bytes=0-9", "If-Range: \"stale\""])
        #expect(stale.status == 200 && stale.body == bytes)
        let head = try curl("/api/v1/sounds/\(id)/download", token: token, method: "HEAD")
        #expect(head.status == 200 && head.headers["content-length"] == String(size))
    }

    @Test func accountsAreManagedOnlyByTheServersAdministrators() throws {
        let nobody = (uid: UInt32(65534), gid: UInt32(65534))
        if getuid() == 0 {
            let refused = try daemon.loopctl(["token", "create", "alice"], as: nobody)
            #expect(refused.status != 0 && refused.stderr.contains("Not allowed"), "\(refused.stderr)")
            #expect(try daemon.loopctl(["user", "add", "mallory", "--role", "admin"], as: nobody).status != 0)
        } else {
            print("WebTests: not root, so the other user's refusal is not checked (setpriv needs root).")
        }
        let missing = try daemon.loopctl(["token", "create", "nobody-here"])
        #expect(missing.status != 0 && missing.stderr.contains("No such account"), "\(missing.stderr)")
        let bad = try daemon.loopctl(["user", "add", "../etc", "--role", "reader"])
        #expect(bad.status != 0 && bad.stderr.contains("not a usable account name"), "\(bad.stderr)")
        let accounts = try daemon.loopctlJSON(["user", "list"], as: [Account].self)
        #expect(accounts.map(\.name) == ["alice", "walt"] && accounts.first?.role == .reader)
        // The token is kept only as its hash.
        let index = try String(decoding: Data(contentsOf: URL(fileURLWithPath: daemon.stateDirectory + "/index.sqlite")), as: UTF8.self)
        #expect(!index.contains(token))
    }

    @Test func aSignedLinkDownloadsWithoutALoginAndOnlyAsSigned() throws {
        #expect(try curl("/api/v1/sounds/\(id)/download/link", method: "POST").status == 401)
        #expect(try curl("/api/v1/sounds/\(id)/download/link?expires_in=0", token: token, method: "POST").status == 400)
        let made = try curl("/api/v1/sounds/\(id)/download/link?expires_in=600", token: token, method: "POST")
        #expect(made.status == 201, "\(made.text)")
        let url = try #require(made.json?["url"] as? String)
        let expires = try #require((made.json?["expires"] as? NSNumber)?.int64Value)
        #expect(abs(expires - Int64(Date().timeIntervalSince1970) - 600) < 60)
        let path = String(url.dropFirst(base.count))
        #expect(path.hasPrefix("/api/v1/links/"))
        let fetched = try curl(path)
        #expect(fetched.status == 200 && fetched.body == bytes && fetched.headers["etag"] != nil)
        #expect(try curl(path, headers: ["Range: bytes=-4"]).body == bytes.suffix(4))
        var forged = path
        forged.removeLast()
        forged += path.hasSuffix("A") ? "B" : "A"
        #expect(try curl(forged).status == 404)
        #expect(try curl("/api/v1/links/..%2F..%2Fetc%2Fpasswd").status == 404)
        #expect(try curl("/api/v1/sounds/987654/download/link", token: token, method: "POST").status == 404)
    }

    @Test func anUploadLandsVerifiedAndIndexedOrLeavesNothing() throws {
        let source = daemon.folder.path + "/upload.wav"
        try SignalWriter.write(path: source, kind: .wav16, signal: .sine(frequency: 440, amplitude: 0.3), duration: 0.5, sampleRate: 44100, channels: 1)
        let sent = try Data(contentsOf: URL(fileURLWithPath: source))
        let hash = try ContentHasher.sha256(path: source)
        let path = "/api/v1/uploads?name=New%20Kick.wav&folder=Drums/Fresh"
        #expect(try curl("/api/v1/uploads/" + hash, token: writerToken).status == 404, "the library does not have it yet")
        #expect(try curl("/api/v1/uploads/" + hash).status == 401)
        #expect(try curl("/api/v1/uploads/nothex", token: writerToken).status == 400)
        #expect(try curl(path, token: token, method: "PUT", upload: source).status == 403, "a reader may not upload")
        let wrong = try curl(path, token: writerToken, headers: ["X-Content-SHA256: " + String(repeating: "0", count: 64)], method: "PUT", upload: source)
        #expect(wrong.status == 400 && wrong.text.contains("nothing was kept"), "\(wrong.text)")
        let landed = try curl(path, token: writerToken, headers: ["X-Content-SHA256: " + hash], method: "PUT", upload: source)
        #expect(landed.status == 201, "\(landed.text)")
        let kept = daemon.library + "/Drums/Fresh/New Kick.wav"
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == sent)
        #expect(landed.headers["location"]?.contains("/api/v1/sounds/") == true && landed.json?["hash"] as? String == hash)
        let known = try curl("/api/v1/uploads/" + hash.uppercased(), token: writerToken)
        #expect(known.status == 200 && known.json?["name"] as? String == "New Kick.wav", "asked first, the file need not be sent again")
        let again = try curl(path, token: writerToken, method: "PUT", upload: source)
        #expect(again.status == 409, "an upload never replaces a file: \(again.text)")
        for bad in ["name=../escape.wav", "name=notes.txt", "name=a.wav&folder=../../etc", "name=a.wav&folder=.hidden", "name=a.wav&root=nope", "folder=Drums"] {
            let reply = try curl("/api/v1/uploads?" + bad, token: writerToken, method: "PUT", upload: source)
            #expect([400, 409].contains(reply.status) && reply.json?["detail"] is String, "\(bad): \(reply.status) \(reply.text)")
        }
        let big = daemon.folder.path + "/big.bin"
        try Data(count: 1_200_000).write(to: URL(fileURLWithPath: big))
        #expect(try curl("/api/v1/uploads?name=Big.wav&folder=Drums", token: writerToken, method: "PUT", upload: big).status == 413)
        // Nothing half-written is left: no temporary files, no refused uploads.
        let left = try FileManager.default.subpathsOfDirectory(atPath: daemon.library).filter { $0.hasSuffix(".part") || $0.contains("escape") || $0.contains("Big") }
        #expect(left.isEmpty, "\(left)")
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/Drums/Big.wav"))
    }

    @Test func hostileRequestsGetClearErrors() throws {
        for path in [
            "/api/v1/sounds/..%2F..%2Fetc%2Fpasswd/download", "/api/v1/sounds/-1", "/api/v1/sounds/0/download",
            "/api/v1/sounds/99999999999999999999999", "/api/v1/sounds/1%00/download", "/api/v1/sounds/%2Fetc%2Fpasswd",
        ] {
            let reply = try curl(path, token: token)
            #expect([400, 404].contains(reply.status), "\(path): \(reply.status)")
            #expect(!reply.text.contains("root:"), "\(path)")
        }
        #expect(try curl("/api/v1/sounds/987654", token: token).status == 404)
        for range in ["bytes=9-3", "bytes=a-b", "lines=0-1", "bytes=0-1,5-6"] {
            let reply = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: " + range])
            #expect(reply.status == 200 && reply.body == bytes, "\(range) is answered with the whole file")
        }
        let long = try curl("/api/v1/sounds?q=" + String(repeating: "a", count: 5000), token: token)
        #expect(long.status == 400)
    }
}

