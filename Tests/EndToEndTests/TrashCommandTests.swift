import Foundation
import LoopAPI
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// `loopctl delete` and `loopctl trash` against a real daemon: nothing is unlinked until emptied.
@Suite struct TrashCommandTests {
    @Test func deletedFilesWaitInTheTrashUntilRestoredOrEmptied() throws {
        let daemon = DaemonProcess()
        let kick = daemon.folder.file("library/Drums/Kick.wav"), snare = daemon.folder.file("library/Drums/Snare.wav")
        try SignalWriter.write(path: kick, kind: .wav16, signal: .sine(frequency: 60, amplitude: 0.5), duration: 0.3, sampleRate: 44100, channels: 1)
        try SignalWriter.write(path: snare, kind: .wav16, signal: .noise(amplitude: 0.4, seed: 9), duration: 0.3, sampleRate: 44100, channels: 1)
        let kickBytes = try Data(contentsOf: URL(fileURLWithPath: kick))
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()

        let deleted = try daemon.loopctl(["delete", kick, "--json"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: kick))
        let items = try daemon.loopctlJSON(["trash", "list"], as: [TrashItem].self)
        let item = try #require(items.first)
        #expect(items.count == 1 && item.originalPath == kick && item.trashPath.contains("/.Trash-openloop/"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: item.trashPath)) == kickBytes, "moved, not copied or unlinked")
        try daemon.sync()
        #expect(try daemon.search(["kick"]).isEmpty, "a deleted file is not found")

        // Restored, but never over a file that took its place.
        try Data("other".utf8).write(to: URL(fileURLWithPath: kick))
        let blocked = try daemon.loopctl(["trash", "restore", String(item.id)])
        #expect(blocked.status != 0 && blocked.stderr.lowercased().contains("already"), "\(blocked.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: kick)) == Data("other".utf8))
        try FileManager.default.removeItem(atPath: kick)
        let restored = try daemon.loopctl(["trash", "restore", String(item.id)])
        #expect(restored.status == 0 && restored.stdout.contains("Restored"), "\(restored.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: kick)) == kickBytes)
        #expect(try daemon.loopctlJSON(["trash", "list"], as: [TrashItem].self).isEmpty)
        #expect(try daemon.loopctl(["trash", "restore", "999"]).status != 0, "an unknown item is an error")

        // Emptied: only what is old enough, unless --older-than 0.
        #expect(try daemon.loopctl(["delete", snare]).status == 0)
        let kept = try daemon.loopctl(["trash", "empty"])
        #expect(kept.status == 0 && kept.stdout.contains("Removed 0"), "deleted a moment ago is kept: \(kept.stdout)")
        let trashed = try #require(try daemon.loopctlJSON(["trash", "list"], as: [TrashItem].self).first)
        let emptied = try daemon.loopctl(["trash", "empty", "--older-than", "0"])
        #expect(emptied.status == 0 && emptied.stdout.contains("Removed 1"), "\(emptied.stdout)\(emptied.stderr)")
        #expect(!FileManager.default.fileExists(atPath: trashed.trashPath))
        #expect(try daemon.loopctlJSON(["trash", "list"], as: [TrashItem].self).isEmpty)
        #expect(try daemon.loopctl(["delete", "--where", "nothing-matches-this"]).stdout.contains("No files matched"))
    }
}
