import Foundation
import LoopCore
import LoopTestSupport
import LoopWatch
import Testing

/// Real inotify on temporary folders. Each test waits for the events it
/// expects (failing after a deadline), never for a fixed time.
@Suite struct TreeWatcherTests {
    let folder = TemporaryDirectory("watch")
    let changes = Collector<FileChange>()

    func startWatcher(pairingWindow: Duration = .milliseconds(100)) throws -> TreeWatcher {
        let changes = self.changes
        let watcher = try TreeWatcher(roots: [folder.path], filter: PathFilter(extensions: ["wav"]), pairingWindow: pairingWindow)
        watcher.watchTree(folder.path) { _ in }
        watcher.start { changes.append($0) }
        return watcher
    }

    func write(_ relative: String) throws -> String {
        let path = folder.file(relative)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The scan matches walked files to rows by their raw bytes; each must
    /// know its own path, and claim no other, whatever its name holds.
    @Test func walkedFilesKnowTheirPathsByteForByte() throws {
        let names: [[UInt8]] = [
            Array("plain.wav".utf8), Array("Café.wav".utf8), Array("Cafe\u{301}.wav".utf8), Array("new\nline.wav".utf8),
            [0x62, 0xFF, 0x2E, 0x77, 0x61, 0x76],
        ]
        _ = folder.makeDirectory("sub")
        for name in names {
            let path = folder.path + "/sub/" + FileName.decode(name)
            let descriptor = FileName.withCString(path) { open($0, O_CREAT | O_WRONLY, 0o644) }
            #expect(descriptor >= 0)
            close(descriptor)
        }
        let watcher = try TreeWatcher(roots: [folder.path], filter: PathFilter(extensions: ["wav"]))
        var found = WalkedFiles()
        var paths: [String] = []
        watcher.watchTree(folder.path) { file in
            found.append(file)
            paths.append(file.path)
        }
        let expected = names.map { folder.path + "/sub/" + FileName.decode($0) }
        #expect(Set(paths.map { FileName.encode($0) }) == Set(expected.map { FileName.encode($0) }))
        var replayed: [String] = []
        found.forEach { file in
            replayed.append(file.path)
            let own = Array(file.path.utf8)
            let valid = String(validating: FileName.encode(file.path), as: UTF8.self) != nil
            own.withUnsafeBytes { #expect(file.hasPath($0) == valid, "\(file.path)") }
            Array((file.path + "x").utf8).withUnsafeBytes { #expect(!file.hasPath($0)) }
            Array((folder.path + "/other/" + FileName.decode(file.rawName)).utf8).withUnsafeBytes { #expect(!file.hasPath($0)) }
        }
        #expect(replayed.map { FileName.encode($0) } == paths.map { FileName.encode($0) })
    }

    @Test func writtenFilesAreReportedOnClose() throws {
        let watcher = try startWatcher()
        defer { watcher.stop() }
        let path = try write("a.wav")
        _ = try write("notes.txt")
        _ = try write("._a.wav")
        #expect(changes.wait { $0.contains(.fileChanged(path: path)) })
        let cookie = try write(".loopd-sync-test")
        #expect(changes.wait { $0.contains(.cookie(name: ".loopd-sync-test")) })
        _ = cookie
        #expect(changes.all.filter { if case .fileChanged = $0 { return true } else { return false } } == [.fileChanged(path: path)])
    }

    @Test func renamesArePaired() throws {
        let path = try write("old.wav")
        let watcher = try startWatcher()
        defer { watcher.stop() }
        try FileManager.default.moveItem(atPath: path, toPath: folder.path + "/new.wav")
        #expect(changes.wait { $0.contains(.fileMoved(from: path, to: folder.path + "/new.wav")) })
    }

    @Test func deletesAndMovesOutAreRemovals() throws {
        let outside = TemporaryDirectory("outside")
        let doomed = try write("doomed.wav")
        let leaving = try write("leaving.wav")
        let watcher = try startWatcher(pairingWindow: .milliseconds(20))
        defer { watcher.stop() }
        try FileManager.default.removeItem(atPath: doomed)
        try FileManager.default.moveItem(atPath: leaving, toPath: outside.path + "/leaving.wav")
        #expect(changes.wait { $0.contains(.fileRemoved(path: doomed)) && $0.contains(.fileRemoved(path: leaving)) })
    }

    @Test func aDirectoryFilledBeforeItsWatchIsFullyReported() throws {
        let outside = TemporaryDirectory("outside")
        for index in 0..<20 {
            try Data([0]).write(to: URL(fileURLWithPath: outside.file("pack/sub\(index % 3)/s\(index).wav")))
        }
        let watcher = try startWatcher()
        defer { watcher.stop() }
        // A populated tree moved in arrives as one event for the top folder.
        try FileManager.default.moveItem(atPath: outside.path + "/pack", toPath: folder.path + "/pack")
        #expect(changes.wait { $0.count >= 20 })
        #expect(Set(changes.all).count == 20)
        // And its subfolders are watched from then on.
        let later = try write("pack/sub1/later.wav")
        #expect(changes.wait { $0.contains(.fileChanged(path: later)) })
    }

    @Test func directoryRenamesKeepWatching() throws {
        _ = try write("kits/a.wav")
        let watcher = try startWatcher()
        defer { watcher.stop() }
        try FileManager.default.moveItem(atPath: folder.path + "/kits", toPath: folder.path + "/drums")
        #expect(changes.wait { $0.contains(.directoryMoved(from: folder.path + "/kits", to: folder.path + "/drums")) })
        let inside = try write("drums/b.wav")
        #expect(changes.wait { $0.contains(.fileChanged(path: inside)) }, "the moved folder's watch now reports under its new name")
    }

    @Test func directoryDeletesAreReported() throws {
        _ = try write("gone/a.wav")
        let watcher = try startWatcher()
        defer { watcher.stop() }
        try FileManager.default.removeItem(atPath: folder.path + "/gone")
        #expect(changes.wait { $0.contains(.directoryRemoved(path: folder.path + "/gone")) })
        #expect(changes.all.contains(.fileRemoved(path: folder.path + "/gone/a.wav")))
    }

    @Test func hiddenDirectoriesAreNotWatched() throws {
        _ = try write(".hidden/a.wav")
        let watcher = try startWatcher()
        defer { watcher.stop() }
        #expect(watcher.watchCount == 1)
    }
}
