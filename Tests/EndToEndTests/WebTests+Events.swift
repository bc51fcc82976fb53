import Foundation
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// Server-Sent Events at `/api/v1/events`, read by curl as a browser's EventSource would.
extension WebTests {
    /// One `curl -N` on the event stream, its output collected as it comes.
    func openEvents(headers: [String] = []) throws -> SpawnedProcess {
        var arguments = ["-sN", "-H", "Authorization: Bearer " + token]
        for header in headers { arguments += ["-H", header] }
        return try SpawnedProcess("/usr/bin/curl", arguments + [base + "/api/v1/events"], environment: daemon.environment, mergingStandardOutput: true)
    }

    /// The events received so far: (id, name, data) in order.
    static func events(_ stream: SpawnedProcess) -> [(id: Int64, name: String, data: String)] {
        events(in: stream.standardError.all)
    }

    static func events(in chunks: [String]) -> [(id: Int64, name: String, data: String)] {
        chunks.joined().components(separatedBy: "\n\n").compactMap { block in
            var id: Int64?, name = "message", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int64(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            return id.map { ($0, name, data) }
        }
    }

    /// A sound's id, as loopd tells its owner (the web accounts here may not see every file).
    func soundID(named query: String) throws -> Int64 {
        try #require(try daemon.search([query]).first?.id)
    }

    @Test func eventsTellWhatChangedToThoseWhoMayReadItAndResume() throws {
        #expect(try curl("/api/v1/events").status == 401)
        #expect(try curl("/api/v1/events", token: token, headers: ["Last-Event-ID: ../1"]).status == 400)
        let stream = try openEvents(headers: ["Last-Event-ID: 0"])
        // From the first change on: the sound written before the stream opened is told too.
        #expect(stream.standardError.wait(timeout: 30) { Self.events(in: $0).contains { $0.data.contains("\"id\":\(self.id),") } })

        // A file only its owner may read is not told to alice (a web account without a Unix user).
        // (Written outside and moved in, so that it is never readable by others while in the library.)
        let outside = daemon.folder.file("Secret Bass.wav")
        try SignalWriter.write(path: outside, kind: .wav16, signal: .sine(frequency: 55, amplitude: 0.4), duration: 0.5, sampleRate: 44100, channels: 1)
        chmod(outside, 0o600)
        try FileManager.default.moveItem(atPath: outside, toPath: daemon.folder.file("library/Loops/Secret Bass.wav"))
        try daemon.sync()
        let hiddenID = try soundID(named: "secret")
        let shown = daemon.folder.file("library/Loops/Bright Hat.wav")
        try SignalWriter.write(path: shown, kind: .wav16, signal: .sine(frequency: 880, amplitude: 0.4), duration: 0.5, sampleRate: 44100, channels: 1)
        try daemon.sync()
        let shownID = try soundID(named: "bright")
        try FileManager.default.moveItem(atPath: shown, toPath: daemon.folder.file("library/Loops/Brighter Hat.wav"))
        try daemon.sync()
        try FileManager.default.removeItem(atPath: daemon.folder.file("library/Loops/Brighter Hat.wav"))
        try daemon.sync()
        #expect(stream.standardError.wait(timeout: 30) { Self.events(in: $0).contains { $0.name == "removed" && $0.data.contains("\"id\":\(shownID)}") } })
        let events = Self.events(stream)
        let told = events.filter { $0.data.contains("\"id\":\(shownID)") }.map(\.name)
        #expect(told == ["added", "moved", "removed"], "\(events)")
        #expect(!events.contains { $0.data.contains("\"id\":\(hiddenID)") }, "a file alice may not read is not told to her")
        #expect(events.map(\.id) == events.map(\.id).sorted(), "in order")
        let text = stream.standardError.all.joined()
        #expect(!text.contains(daemon.library) && !text.contains("Bright"), "sounds are named by id only")
        #expect(events.first { $0.name == "added" && $0.data.contains("\"id\":\(shownID),") }?.data.contains("/api/v1/sounds/\(shownID)\"") == true)
        stream.terminate()

        // Reconnecting with the last id seen resumes after it.
        let added = try #require(events.first { $0.name == "added" && $0.data.contains("\"id\":\(shownID),") })
        let resumed = try openEvents(headers: ["Last-Event-ID: \(added.id)"])
        #expect(resumed.standardError.wait(timeout: 30) { Self.events(in: $0).contains { $0.name == "removed" } })
        #expect(Self.events(resumed).map(\.name) == ["moved", "removed"], "\(Self.events(resumed))")
        resumed.terminate()
    }
}
