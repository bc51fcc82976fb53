import Foundation
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// loopweb behind a real nginx on a sub-path, as the README's example sets it up.
extension WebTests {
    @Test func behindNginxOnASubPathLinksDownloadsUploadsAndEventsWork() throws {
        #expect(NginxProxy.unavailableReason == nil, "\(NginxProxy.unavailableReason ?? "")")
        guard NginxProxy.unavailableReason == nil else { return }
        let port = SambaServer.freePort()
        let proxied = "http://127.0.0.1:\(port)/samples"
        web?.terminate()
        try startWeb(["--public-url", proxied, "--trusted-proxy", "127.0.0.1"])
        let nginx = try NginxProxy(port: port, prefix: "samples", backend: base)
        defer { nginx.stop() }
        base = proxied

        #expect(try curl("/api/v1/health").status == 200, "\(nginx.log)")
        let search = try curl("/api/v1/sounds?q=pad", token: token)
        let sound = try #require((search.json?["results"] as? [[String: Any]])?.first, "\(search.status) \(search.text)")
        #expect((sound["download"] as? String) == proxied + "/api/v1/sounds/\(id)/download", "links name the public address")

        let part = try curl("/api/v1/sounds/\(id)/download", token: token, headers: ["Range: bytes=10-19"])
        #expect(part.status == 206 && part.body == bytes[10...19] && part.headers["etag"] != nil, "\(part.status)")

        let link = try curl("/api/v1/sounds/\(id)/download/link", token: token, method: "POST")
        let url = try #require(link.json?["url"] as? String)
        #expect(url.hasPrefix(proxied + "/api/v1/"), "\(url)")
        #expect(try curl(String(url.dropFirst(proxied.count))).body == bytes, "a signed link works through the proxy")

        let source = daemon.folder.path + "/proxied.wav"
        try SignalWriter.write(path: source, kind: .wav16, signal: .sine(frequency: 510, amplitude: 0.3), duration: 0.5, sampleRate: 44100, channels: 1)
        let uploaded = try curl("/api/v1/uploads?name=Through%20Proxy.wav&folder=Proxied", token: writerToken, method: "PUT", upload: source)
        #expect(uploaded.status == 201 && uploaded.headers["location"]?.hasPrefix(proxied + "/api/v1/sounds/") == true, "\(uploaded.text)")
        let uploadedID = try #require((uploaded.json?["id"] as? NSNumber)?.int64Value)

        // Events pass unbuffered: the upload's event arrives while the stream stays open.
        let stream = try openEvents(headers: ["Last-Event-ID: 0"])
        defer { stream.terminate() }
        #expect(stream.standardError.wait(timeout: 30) { Self.events(in: $0).contains { $0.data.contains("\"id\":\(uploadedID),") } }, "\(stream.standardError.all.joined())")
        #expect(Self.events(stream).first { $0.data.contains("\"id\":\(uploadedID),") }?.data.contains(proxied + "/api/v1/sounds/\(uploadedID)") == true)
    }
}
