import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

/// `subscribe` and `loopctl watch` against a real daemon: changes arrive in order, numbered, and a
/// client resumes after the last number it saw.
@Suite struct ChangeFeedTests {
    private func writeLoop(_ path: String) throws {
        try SignalWriter.write(path: path, kind: .wav16, signal: .sine(frequency: 330, amplitude: 0.3), duration: 0.5, sampleRate: 44100, channels: 1)
    }

    @Test func watchPrintsAddsMovesAndRemovalsInOrderAndResumes() throws {
        let daemon = DaemonProcess()
        // The folder the file moves into exists (and is watched) first: a file moved into a folder
        // made a moment before may be found by the new folder's scan instead, as a new file.
        try FileManager.default.createDirectory(atPath: daemon.library + "/Drums", withIntermediateDirectories: true)
        try daemon.start()
        defer { daemon.stop() }
        // From the first change: nothing can slip between starting the watch and the first file.
        let watch = try SpawnedProcess(
            try DaemonProcess.binary("loopctl"), ["watch", "--after", "0", "--json", "--count", "3", "--socket", daemon.socket],
            environment: daemon.environment, mergingStandardOutput: true
        )
        let library = daemon.library
        try writeLoop(library + "/Hat.wav")
        try daemon.sync()
        try FileManager.default.moveItem(atPath: library + "/Hat.wav", toPath: library + "/Drums/Hat 2.wav")
        try daemon.sync()
        try FileManager.default.removeItem(atPath: library + "/Drums/Hat 2.wav")
        try daemon.sync()
        let status = watch.waitForExit()
        #expect(status & 0x7f == 0 && (status >> 8) & 0xff == 0, "loopctl watch ended with wait status \(status)")
        let lines = watch.standardError.all.joined().split(separator: "\n")
        let changes = try lines.map { try JSONDecoder().decode(LibraryChange.self, from: Data($0.utf8)) }
        #expect(changes.map(\.kind) == [.added, .moved, .removed], "\(lines)")
        #expect(changes.map(\.path) == [library + "/Hat.wav", library + "/Drums/Hat 2.wav", nil])
        #expect(Set(changes.map(\.id)).count == 1, "one record, followed through its move")
        #expect(changes.map(\.sequence) == changes.map(\.sequence).sorted() && Set(changes.map(\.sequence)).count == 3)

        // Resuming after the first change starts with the second.
        let first = try #require(changes.first)
        let resumed = try daemon.loopctl(["watch", "--after", String(first.sequence), "--json", "--count", "1"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try JSONDecoder().decode(LibraryChange.self, from: Data(resumed.stdout.utf8)).kind == .moved)
    }

    @Test func aSubscriptionIsOnePerConnectionAndSaysWhenItCannotResume() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let client = try RPCClient(socketPath: daemon.socket)
        let reply = try client.call(LoopMethod.subscribe, params: SubscribeRequest(after: 1_000_000))
        #expect(!reply.resumed, "changes after a number loopd never gave cannot be resumed")
        #expect(throws: RPCClientError.self) { try client.call(LoopMethod.subscribe, params: SubscribeRequest()) }
        // The subscription keeps serving: a file added is told.
        try writeLoop(daemon.library + "/Snare.wav")
        var told: [LibraryChange] = []
        while told.isEmpty {
            if case let .changed(changes) = LibraryNotification.message(from: try client.nextNotification()) { told = changes }
        }
        #expect(told.map(\.kind) == [.added] && told.first?.path == daemon.library + "/Snare.wav")
        #expect(told.first.map { $0.sequence > reply.sequence } == true)
    }
}
