import Foundation
import LoopCore
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// `loopctl pull`: a local folder kept in step with a collection over loopweb.
extension WebTests {
    struct PullSummary: Decodable {
        var downloaded: Int
        var downloadedBytes: Int64
        var unchanged: Int
        var removed: Int
        var failed: [String]
    }

    func pull(_ folder: String, _ extra: [String] = []) throws -> (status: Int32, summary: PullSummary?, stderr: String) {
        let run = try daemon.loopctl(["pull", "Kit", folder, "--server", base, "--token", token, "--json"] + extra)
        return (run.status, try? JSONDecoder().decode(PullSummary.self, from: Data(run.stdout.utf8)), run.stderr)
    }

    @Test func pullKeepsAFolderInStepWithACollection() throws {
        let second = daemon.folder.file("library/Drums/Rim Shot.wav")
        try SignalWriter.write(path: second, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 5), duration: 0.6, sampleRate: 44100, channels: 1)
        let secondBytes = try Data(contentsOf: URL(fileURLWithPath: second))
        try daemon.sync()
        let secondID = try #require(try daemon.search(["rim"]).first?.id)
        #expect(try curl("/api/v1/collections", token: token, method: "POST", json: #"{"name":"Kit"}"#).status == 201)
        for sound in [id, secondID] { #expect(try curl("/api/v1/collections/Kit/sounds/\(sound)", token: token, method: "PUT").status == 200) }

        let local = daemon.folder.path + "/laptop/Kit"
        let first = try pull(local)
        #expect(first.status == 0 && first.summary?.downloaded == 2, "\(first.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/Loops/Dark Pad ☃ 120.wav")) == bytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/Drums/Rim Shot.wav")) == secondBytes)
        let again = try pull(local)
        #expect(again.summary?.downloaded == 0 && again.summary?.unchanged == 2, "only what is missing or changed is fetched")

        // A download cut off resumes where it stopped.
        try FileManager.default.removeItem(atPath: local + "/Drums/Rim Shot.wav")
        try secondBytes.prefix(1000).write(to: URL(fileURLWithPath: local + "/.openloop-pull/\(secondID).part"))
        let resumed = try pull(local)
        #expect(resumed.summary?.downloaded == 1 && resumed.summary?.downloadedBytes == Int64(secondBytes.count - 1000), "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/Drums/Rim Shot.wav")) == secondBytes)

        // A file changed here is the user's: never replaced.
        try Data("mine".utf8).write(to: URL(fileURLWithPath: local + "/Loops/Dark Pad ☃ 120.wav"))
        let mine = try pull(local)
        #expect(mine.status != 0 && mine.stderr.contains("yours"), "\(mine.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/Loops/Dark Pad ☃ 120.wav")) == Data("mine".utf8))

        // Out of the collection: the pulled copy goes.
        #expect(try curl("/api/v1/collections/Kit/sounds/\(secondID)", token: token, method: "DELETE").status == 200)
        let removed = try pull(local)
        #expect(removed.summary?.removed == 1 && !FileManager.default.fileExists(atPath: local + "/Drums/Rim Shot.wav"), "\(removed.stderr)")

        let refused = try daemon.loopctl(["pull", "Kit", local, "--server", base, "--token", "olp_wrong"])
        #expect(refused.status != 0 && !refused.stderr.isEmpty, "a wrong token is one clear sentence: \(refused.stderr)")
    }
}
