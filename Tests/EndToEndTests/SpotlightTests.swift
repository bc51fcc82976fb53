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

/// The Elasticsearch-style endpoint loopweb serves for Samba (loopd, without network, answers
/// `spotlight.search` behind it): straight over HTTP, and asked by a real smbd's Spotlight service
/// on behalf of `mdsearch`.
@Suite(.serialized) struct SpotlightTests {
    /// loopweb answering Spotlight searches on `port`, for this daemon.
    private func startEndpoint(_ daemon: DaemonProcess, port: Int) throws -> SpawnedProcess {
        let web = try SpawnedProcess(
            try DaemonProcess.binary("loopweb"),
            ["--socket", daemon.socket, "--listen", "127.0.0.1:0", "--state-dir", daemon.folder.path + "/web", "--spotlight", "127.0.0.1:\(port)"],
            environment: daemon.environment
        )
        let started = web.standardError.wait(timeout: 30) { $0.joined().contains("loopweb is serving") }
        #expect(started && web.standardError.all.joined().contains("Spotlight searches on 127.0.0.1:\(port)"), "\(web.standardError.all.joined())")
        return web
    }

    private func writeLibrary(_ daemon: DaemonProcess) throws -> String {
        try SignalWriter.write(path: daemon.folder.file("library/Drums/Kick Hard.wav"), kind: .wav16,
                               interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 1), sampleRate: 44100)
        try SignalWriter.write(path: daemon.folder.file("library/Loops/Deep Loop.wav"), kind: .wav16,
                               interleaved: LoopPattern.house.render(bpm: 124, beats: 8, sampleRate: 44100, seed: 2), sampleRate: 44100)
        try SignalWriter.write(path: daemon.folder.file("library/Loops/Slow Groove.flac"), kind: .flac16,
                               interleaved: LoopPattern.drums.render(bpm: 90, beats: 8, sampleRate: 44100, seed: 3), sampleRate: 44100)
        // A second root that is not shared: nothing in it may come back through the share.
        let outside = daemon.folder.makeDirectory("outside")
        try SignalWriter.write(path: outside + "/Kick Outside.wav", kind: .wav16,
                               interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 4), sampleRate: 44100)
        return outside
    }

    @Test func theEndpointAnswersSambasSearchesAndRefusesEverythingElse() throws {
        let daemon = DaemonProcess()
        let outside = try writeLibrary(daemon)
        let port = SambaServer.freePort()
        try daemon.start(arguments: daemon.defaultArguments + ["--library", outside])
        defer { daemon.stop() }
        try daemon.sync()
        let web = try startEndpoint(daemon, port: port)
        defer { web.terminate() }

        func search(_ query: String, from: Int = 0, size: Int = 50) throws -> (status: Int, json: [String: Any]) {
            let body = try JSONSerialization.data(withJSONObject: ["from": from, "size": size, "_source": ["path.real"], "query": ["query_string": ["query": query]]])
            let reply = try HTTPExchange.send(port: port, method: "POST", path: "/_all/_search", body: body)
            return (reply.status, (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:])
        }
        func paths(_ json: [String: Any]) -> [String] {
            ((json["hits"] as? [String: Any])?["hits"] as? [[String: Any]] ?? []).compactMap { (($0["_source"] as? [String: Any])?["path"] as? [String: Any])?["real"] as? String }
        }
        let library = daemon.library
        let scope = #" AND path.real.fulltext:"\#(library)""#
        let kicks = try search("(file.filename:Kick*)" + scope)
        #expect(kicks.status == 200 && paths(kicks.json) == [library + "/Drums/Kick Hard.wav"], "the scope keeps the other root out: \(kicks.json)")
        #expect((kicks.json["hits"] as? [String: Any]).flatMap { $0["total"] as? [String: Any] }?["value"] as? Int == 1)
        // Unconfined, a search would list every root to any local user: refused.
        let unconfined = try search("(kick)")
        #expect(unconfined.status == 400 && paths(unconfined.json).isEmpty, "\(unconfined.json)")
        #expect(try search(#"(kick) OR path.real.fulltext:"\#(library)""#).status == 400, "a scope under OR confines nothing")
        #expect(paths(try search(#"(kick) AND path.real.fulltext:"/""#).json).count == 2, "the scope / holds both roots")
        #expect(paths(try search("(audio.tempo:[120 TO 128])" + scope).json) == [library + "/Loops/Deep Loop.wav"])
        #expect(paths(try search("(audio.duration:{2 TO *})" + scope).json).sorted() == [library + "/Loops/Deep Loop.wav", library + "/Loops/Slow Groove.flac"])
        #expect(paths(try search(#"(file.content_type:(audio\/flac))"# + scope).json) == [library + "/Loops/Slow Groove.flac"])
        #expect(paths(try search(#"(file.content_type:(image\/*))"# + scope).json).isEmpty)
        #expect(paths(try search("((NOT file.filename:*Loop*))" + scope).json).sorted() == [library + "/Drums/Kick Hard.wav", library + "/Loops/Slow Groove.flac"])
        // Paging as Samba does it.
        let first = try search("(audio.duration:{0 TO *})" + scope, from: 0, size: 2), second = try search("(audio.duration:{0 TO *})" + scope, from: 2, size: 2)
        #expect(Set(paths(first.json) + paths(second.json)).count == 3 && paths(second.json).count == 1)

        // Anything else: a proper HTTP error, and the daemon carries on.
        let bad = try search("(file.filename:(")
        #expect(bad.status == 400 && ((bad.json["error"] as? [String: Any])?["reason"] as? String)?.isEmpty == false, "\(bad.json)")
        #expect(try search("(no.such.field:1)").status == 400)
        #expect(try HTTPExchange.send(port: port, method: "GET", path: "/", body: Data()).status == 404)
        #expect(try HTTPExchange.send(port: port, method: "DELETE", path: "/_all/_search", body: Data()).status == 405)
        #expect(try HTTPExchange.send(port: port, method: "GET", path: "/_all/_search", body: Data()).status == 405, "POST only, as documented")
        #expect(try HTTPExchange.send(port: port, method: "POST", path: "/_all/_search", body: Data("{".utf8)).status == 400)
        #expect(try HTTPExchange.send(port: port, method: "POST", path: "/_all/_search", body: Data(repeating: 0x20, count: 200_000)).status == 413)
        #expect(try daemon.status().files == 4, "still answering")
    }

    @Test func finderSearchesThroughSambaFindSamplesByNameDurationAndTempo() throws {
        if let reason = SambaServer.unavailableReason {
            print("SpotlightTests skipped: \(reason).")
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/mdsearch") else {
            try #require(ProcessInfo.processInfo.environment["CI"] == nil, "CI installs smbclient, which has mdsearch")
            print("SpotlightTests skipped: mdsearch is missing (apt install smbclient).")
            return
        }
        let daemon = DaemonProcess()
        let outside = try writeLibrary(daemon)
        let port = SambaServer.freePort()
        try daemon.start(arguments: daemon.defaultArguments + ["--library", outside])
        defer { daemon.stop() }
        try daemon.sync()
        let web = try startEndpoint(daemon, port: port)
        defer { web.terminate() }
        let mappings = try #require(BuiltProducts.packageRoot) + "/etc/elasticsearch_mappings.json"
        // mdsearch connects to port 445 only.
        let samba = try SambaServer(sharing: daemon.library, ports: [445, SambaServer.freePort()], extraGlobal: """
              spotlight backend = elasticsearch
              elasticsearch:address = 127.0.0.1
              elasticsearch:port = \(port)
              elasticsearch:mappings = \(mappings)
            """, extraShare: "  spotlight = yes")
        try samba.start()
        defer { samba.stop() }

        func mdsearch(_ query: String) throws -> [String] {
            let result = try ChildProcess.run("/usr/bin/mdsearch", ["-s", samba.config, "-U", "\(samba.user)%\(samba.password)", "127.0.0.1", "lib", query])
            #expect(result.status == 0, "mdsearch \(query): \(result.output)")
            return result.output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }.sorted()
        }
        #expect(try mdsearch(#"kMDItemFSName=="Kick*""#) == ["Drums/Kick Hard.wav"], "a name prefix; the kick outside the share never comes back")
        #expect(try mdsearch(#"kMDItemDurationSeconds>"2""#) == ["Loops/Deep Loop.wav", "Loops/Slow Groove.flac"])
        #expect(try mdsearch("InRange(kMDItemTempo,120,128)") == ["Loops/Deep Loop.wav"])
        #expect(try mdsearch(#"kMDItemContentTypeTree=="public.audio" && kMDItemTempo<"100""#) == ["Loops/Slow Groove.flac"])
    }
}

/// One HTTP/1.1 request over a fresh TCP connection to 127.0.0.1.
enum HTTPExchange {
    static func send(port: Int, method: String, path: String, body: Data) throws -> (status: Int, body: Data) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8)
        request.append(body)
        request.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        var reply = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            reply.append(contentsOf: chunk[..<count])
        }
        guard let headerEnd = reply.range(of: Data("\r\n\r\n".utf8)),
              let statusLine = String(data: reply[..<headerEnd.lowerBound], encoding: .utf8)?.split(separator: " "),
              statusLine.count > 1, let status = Int(statusLine[1]) else { return (0, Data()) }
        return (status, Data(reply[headerEnd.upperBound...]))
    }
}
