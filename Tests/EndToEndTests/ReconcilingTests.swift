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

/// The hard cases of keeping the index equal to the disk.
@Suite(.serialized) struct ReconcilingTests {
    func write(_ path: String, seconds: Double = 0.3, kind: AudioFileKind = .wav16, seed: UInt64 = 1) throws {
        try SignalWriter.write(path: path, kind: kind, signal: .noise(amplitude: 0.3, seed: seed), duration: seconds)
    }

    @Test func filesMovedWhileDownKeepTheirIdentity() throws {
        let daemon = DaemonProcess()
        try write(daemon.folder.file("library/a/renamed.wav"), seed: 1)
        try write(daemon.folder.file("library/a/moved.wav"), seed: 2)
        try write(daemon.folder.file("library/a/copied.wav"), seed: 3)
        try daemon.start()
        try daemon.sync()
        let before = Dictionary(uniqueKeysWithValues: try daemon.search().map { (($0.path as NSString).lastPathComponent, $0) })
        #expect(daemon.stop() == 0)

        let lib = daemon.library
        try FileManager.default.moveItem(atPath: lib + "/a/renamed.wav", toPath: lib + "/a/now called this.wav")
        try FileManager.default.createDirectory(atPath: lib + "/b", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: lib + "/a/moved.wav", toPath: lib + "/b/moved.wav")
        // A copy and a delete (as across disks or shares): a new inode with the same bytes.
        try FileManager.default.copyItem(atPath: lib + "/a/copied.wav", toPath: lib + "/b/copy.wav")
        try FileManager.default.removeItem(atPath: lib + "/a/copied.wav")

        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let after = Dictionary(uniqueKeysWithValues: try daemon.search().map { (($0.path as NSString).lastPathComponent, $0) })
        #expect(Set(after.keys) == ["now called this.wav", "moved.wav", "copy.wav"])
        #expect(after["now called this.wav"]?.id == before["renamed.wav"]?.id, "followed by inode")
        #expect(after["now called this.wav"]?.analyzedAt == before["renamed.wav"]?.analyzedAt, "and not analysed again")
        #expect(after["moved.wav"]?.id == before["moved.wav"]?.id)
        #expect(after["copy.wav"]?.id == before["copied.wav"]?.id, "followed by content hash")
        #expect(try daemon.status().offlineFiles == 0)
    }

    @Test func movingAFolderOfThousandsIsAPathRewrite() throws {
        let daemon = DaemonProcess()
        let outside = TemporaryDirectory("big")
        try write(outside.path + "/template.wav", seconds: 0.01)
        let template = try Data(contentsOf: URL(fileURLWithPath: outside.path + "/template.wav"))
        try FileManager.default.createDirectory(atPath: daemon.library + "/Pack/Kicks", withIntermediateDirectories: true)
        for index in 0..<1000 {
            try template.write(to: URL(fileURLWithPath: daemon.library + "/Pack/\(index % 2 == 0 ? "Kicks/" : "")s\(index).wav"))
        }
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let before = try daemon.status()
        #expect(before.files == 1000)
        let ids = Dictionary(uniqueKeysWithValues: try daemon.search().map { (($0.path as NSString).lastPathComponent, $0.id) })

        try FileManager.default.moveItem(atPath: daemon.library + "/Pack", toPath: daemon.library + "/Renamed Pack")
        try daemon.sync()
        let after = try daemon.status()
        #expect(after.analyzedSinceStart == before.analyzedSinceStart, "nothing was analysed again")
        let records = try daemon.search()
        #expect(records.count == 1000)
        #expect(records.allSatisfy { $0.path.hasPrefix(daemon.library + "/Renamed Pack/") })
        #expect(records.allSatisfy { ids[($0.path as NSString).lastPathComponent] == $0.id })
    }

    @Test func aRootThatVanishesIsKeptOfflineUntilItReturns() throws {
        let daemon = DaemonProcess()
        try write(daemon.folder.file("library/one.wav"))
        try write(daemon.folder.file("library/sub/two.wav"), seed: 2)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let ids = Set(try daemon.search().map(\.id))
        #expect(ids.count == 2)

        let away = daemon.folder.path + "/library-unplugged"
        try FileManager.default.moveItem(atPath: daemon.library, toPath: away)
        try daemon.sync()
        var status = try daemon.status()
        #expect(status.roots.first?.state == "missing")
        #expect(status.offlineFiles == 2)
        #expect(status.files == 0)
        #expect(try daemon.search().isEmpty, "offline rows are not search results")
        let kept: SampleRecord = try daemon.loopctlJSON(["info", String(try #require(ids.first))])
        #expect(kept.offline)

        try FileManager.default.moveItem(atPath: away, toPath: daemon.library)
        try daemon.sync()
        status = try daemon.status()
        #expect(status.roots.first?.state == "online")
        #expect(status.offlineFiles == 0)
        #expect(Set(try daemon.search().map(\.id)) == ids, "the same rows come back")
        // And the returned root is watched again.
        try write(daemon.library + "/sub/three.wav", seed: 3)
        try daemon.sync()
        #expect(try daemon.search(["three"]).count == 1)
    }

    /// A disk mounted over the root (or the root's disk swapped) shows no inotify event.
    @Test func aRootReplacedByAnotherDeviceKeepsTheOldRowsOffline() throws {
        let daemon = DaemonProcess()
        try write(daemon.folder.file("library/on-disk.wav"))
        try write(daemon.folder.file("library/sub/also-on-disk.wav"), seed: 2)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let ids = Set(try daemon.search().map(\.id))
        try #require(mount("none", daemon.library, "tmpfs", 0, nil) == 0, "mounting needs root: \(String(cString: strerror(errno)))")
        var mounted = true
        defer { if mounted { umount(daemon.library) } }

        try write(daemon.library + "/on-the-new-disk.wav", seed: 3)
        try daemon.sync()
        var status = try daemon.status()
        #expect(status.offlineFiles == 2, "the first disk's files are kept, offline")
        #expect(try daemon.search().map { ($0.path as NSString).lastPathComponent } == ["on-the-new-disk.wav"])

        #expect(umount(daemon.library) == 0)
        mounted = false
        try daemon.sync()
        status = try daemon.status()
        #expect(Set(try daemon.search().map(\.id)) == ids, "the first disk's rows return with their ids")
        #expect(status.offlineFiles == 1, "the unmounted disk's file is now the offline one")
    }

    @Test func filesStillBeingWrittenAreAnalysedOnceWhenComplete() throws {
        let daemon = DaemonProcess()
        daemon.configText = "[watch]\nsettle_ms = 50\n"
        try daemon.start()
        defer { daemon.stop() }
        let outside = TemporaryDirectory("sources")
        let source = outside.path + "/source.wav"
        try write(source, seconds: 2.0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        let chunks = stride(from: 0, to: bytes.count, by: bytes.count / 32 + 1).map { Array(bytes[$0..<min($0 + bytes.count / 32 + 1, bytes.count)]) }

        // 1. One open, many writes, each pushed to disk before the next.
        let slow = daemon.library + "/slow copy.wav"
        let fd = open(slow, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        #expect(fd >= 0)
        for chunk in chunks {
            #expect(chunk.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == chunk.count)
            fsync(fd)
        }
        close(fd)
        // 2. A writer that reopens the file for every chunk, as SMB clients do.
        let reopened = daemon.library + "/reopened.wav"
        for chunk in chunks {
            let fd = open(reopened, O_CREAT | O_WRONLY | O_APPEND, 0o644)
            _ = chunk.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        // 3. rsync: a hidden temporary name, then a rename.
        let temporary = daemon.library + "/.synced.wav.Xy12Ab"
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.moveItem(atPath: temporary, toPath: daemon.library + "/synced.wav")
        // 4. link() a finished file in, then unlink the original (sftp and some uploaders).
        let linkSource = daemon.folder.path + "/upload.tmp"
        try Data(bytes).write(to: URL(fileURLWithPath: linkSource))
        #expect(link(linkSource, daemon.library + "/linked.wav") == 0)
        #expect(unlink(linkSource) == 0)

        try daemon.sync()
        let records = try daemon.search()
        #expect(Set(records.map { ($0.path as NSString).lastPathComponent }) == ["slow copy.wav", "reopened.wav", "synced.wav", "linked.wav"])
        for record in records {
            #expect(record.error == nil, "\(record.path): \(record.error ?? "")")
            #expect(record.duration == 2.0, "\(record.path) analysed complete")
        }
        #expect(try daemon.status().analyzedSinceStart == 4, "each file analysed once")
    }

    @Test func anOverflowedQueueIsRecoveredByARescan() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        let noise = daemon.library + "/noise"
        try FileManager.default.createDirectory(atPath: noise, withIntermediateDirectories: true)
        try daemon.sync()
        // Freeze the daemon so the kernel queue fills: each new file is two events (create, close).
        daemon.signal(SIGSTOP)
        for index in 0..<(limit / 2 + 500) {
            let fd = open("\(noise)/\(index).txt", O_CREAT | O_WRONLY, 0o644)
            close(fd)
        }
        for index in 0..<3 { try write(daemon.library + "/after-overflow-\(index).wav", seed: UInt64(index)) }
        daemon.signal(SIGCONT)
        try daemon.sync()
        #expect(try daemon.search(["after-overflow"]).count == 3)
        #expect(try daemon.status().overflows >= 1)
        // Watching still works afterwards.
        try write(daemon.library + "/later.wav")
        try daemon.sync()
        #expect(try daemon.search(["later"]).count == 1)
    }

    @Test(arguments: [(false, false), (true, false), (true, true)])
    func symlinksAreFollowedOnlyAsConfigured(follow: Bool, outside: Bool) throws {
        let daemon = DaemonProcess()
        daemon.configText = "[library]\nfollow_symlinks = \(follow)\nfollow_outside = \(outside)\n"
        let lib = daemon.library
        let elsewhere = daemon.folder.makeDirectory("elsewhere")
        try write(daemon.folder.file("elsewhere/pack/outside.wav"))
        try write(elsewhere + "/single.wav", seed: 2)
        try write(daemon.folder.file("library/real/inside.wav"), seed: 3)
        try FileManager.default.createSymbolicLink(atPath: lib + "/linked-pack", withDestinationPath: elsewhere + "/pack")
        try FileManager.default.createSymbolicLink(atPath: lib + "/linked.wav", withDestinationPath: elsewhere + "/single.wav")
        try FileManager.default.createSymbolicLink(atPath: lib + "/inner.wav", withDestinationPath: lib + "/real/inside.wav")
        // Loops: a link to the root itself, and one to its own folder.
        try FileManager.default.createSymbolicLink(atPath: lib + "/loop", withDestinationPath: lib)
        try FileManager.default.createSymbolicLink(atPath: lib + "/real/again", withDestinationPath: "..")
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        var expected: Set<String> = [lib + "/real/inside.wav"]
        if follow { expected.insert(lib + "/inner.wav") }
        if follow && outside { expected.formUnion([lib + "/linked-pack/outside.wav", lib + "/linked.wav"]) }
        #expect(Set(try daemon.search().map(\.path)) == expected)

        // A link made at run time follows the same rule, and the linked folder is watched.
        try FileManager.default.createSymbolicLink(atPath: lib + "/late-link", withDestinationPath: elsewhere + "/pack")
        try daemon.sync()
        try write(elsewhere + "/pack/newer.wav", seed: 4)
        try daemon.sync()
        let lateFound = try daemon.search(["late-link"]).map(\.path)
        #expect(Set(lateFound) == (follow && outside ? [lib + "/late-link/outside.wav", lib + "/late-link/newer.wav"] : []))
    }

    @Test func oddNamesRoundTripExactly() throws {
        let daemon = DaemonProcess()
        // "é" precomposed (NFC) and decomposed (NFD) are different names on Linux: two files.
        let names = ["Kick 01 (hard).wav", "Caf\u{E9} Loop.wav", "Cafe\u{301} Loop.wav", "line\nbreak.wav", "日本語 ドラム.wav", "quote\"and\\slash.wav"]
        for (index, name) in names.enumerated() { try write(daemon.library + "/" + name, seed: UInt64(index)) }
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let paths = try daemon.search().map(\.path)
        #expect(paths.count == names.count)
        for name in names {
            let path = daemon.library + "/" + name
            #expect(paths.contains { Array($0.utf8) == Array(path.utf8) }, "\(name.debugDescription) comes back byte for byte")
        }
        // Changes to one twin leave the other alone.
        try FileManager.default.removeItem(atPath: daemon.library + "/Cafe\u{301} Loop.wav")
        try daemon.sync()
        let remaining = try daemon.search().map { Array($0.path.utf8) }
        #expect(remaining.contains(Array((daemon.library + "/Caf\u{E9} Loop.wav").utf8)))
        #expect(!remaining.contains(Array((daemon.library + "/Cafe\u{301} Loop.wav").utf8)))
        #expect(remaining.count == names.count - 1)
    }

    @Test func namesThatAreNotUTF8RoundTripThroughRPCAndLoopctl() throws {
        let daemon = DaemonProcess()
        let rawNames: [[UInt8]] = [Array("bad-".utf8) + [0xFF, 0xFE] + Array(".wav".utf8), Array("caf".utf8) + [0xE9] + Array(" latin1.wav".utf8)]
        let source = daemon.folder.path + "/source.wav"
        for (index, raw) in rawNames.enumerated() {
            try write(source, seed: UInt64(index))
            let target = daemon.library + "/" + FileName.decode(raw)
            #expect(FileName.withCString(target) { rename(source, $0) } == 0)
        }
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let libraryBytes = Array(daemon.library.utf8)
        let indexed = try daemon.search().map { FileName.encode($0.path) }
        for raw in rawNames {
            let full = libraryBytes + [UInt8(ascii: "/")] + raw
            #expect(indexed.contains(full), "the exact bytes come back over JSON-RPC")
            // loopctl takes the raw bytes as an argument and prints them back raw.
            let info = RawProcess.run(try DaemonProcess.binary("loopctl"), [Array("info".utf8), full], environment: daemon.environment)
            #expect(info.status == 0)
            #expect(info.stdout.indices.contains { info.stdout[$0...].starts(with: full) }, "loopctl info prints the raw name")
        }
        let table = RawProcess.run(try DaemonProcess.binary("loopctl"), [Array("search".utf8)], environment: daemon.environment)
        #expect(rawNames.allSatisfy { raw in table.stdout.indices.contains { table.stdout[$0...].starts(with: raw) } })
        // Deleting one by its raw name is noticed too.
        #expect(FileName.withCString(daemon.library + "/" + FileName.decode(rawNames[0])) { unlink($0) } == 0)
        try daemon.sync()
        #expect(try daemon.search().count == 1)
    }

    /// A FIFO or other non-regular file with an audio name is never opened (a FIFO would block a worker forever).
    @Test func nonRegularFilesAreNeverOpened() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        #expect(mkfifo(daemon.folder.file("library/pipe.wav"), 0o644) == 0)
        try SignalWriter.write(path: daemon.folder.file("library/real.wav"), kind: .wav16, signal: .kick(amplitude: 0.8), duration: 0.3)
        try daemon.sync()
        #expect(try daemon.search().map(\.path) == [daemon.library + "/real.wav"])
        // Found by a fresh scan too, not only through the watcher.
        let client = try RPCClient(socketPath: daemon.socket)
        let _: RescanReply = try client.call(LoopMethod.rescan, params: RescanParams())
        try daemon.sync()
        #expect(try daemon.search().count == 1)
        let status: StatusReport = try client.call(LoopMethod.status)
        #expect(status.inFlight == 0 && status.pending == 0)
    }

    @Test func junkAndIgnoredFoldersAreNeverIndexed() throws {
        let daemon = DaemonProcess()
        let lib = daemon.library
        for junk in ["._Kick.wav", ".DS_Store", "Thumbs.db", "desktop.ini", "~$Kick.wav", "Kick.wav.part", "Kick.tmp",
                     ".hidden/Kick.wav", "$RECYCLE.BIN/Kick.wav", ".Trash-1000/Kick.wav", "skip/Kick.wav"] {
            try write(daemon.folder.file("library/" + junk))
        }
        #expect(FileManager.default.createFile(atPath: lib + "/skip/.loopignore", contents: nil))
        try write(daemon.folder.file("library/keep/Kick.wav"))
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        #expect(try daemon.search().map(\.path) == [lib + "/keep/Kick.wav"])

        // A marker added at run time drops the folder; removing it brings the folder back.
        #expect(FileManager.default.createFile(atPath: lib + "/keep/.loopignore", contents: nil))
        try daemon.sync()
        #expect(try daemon.search().isEmpty)
        try write(lib + "/keep/Snare.wav")
        try daemon.sync()
        #expect(try daemon.search().isEmpty, "nothing below a marker is indexed")
        try FileManager.default.removeItem(atPath: lib + "/keep/.loopignore")
        try FileManager.default.removeItem(atPath: lib + "/skip/.loopignore")
        try daemon.sync()
        // The folder that had its marker at start was never listed: a rescan picks it up.
        _ = try daemon.loopctl(["rescan"])
        try daemon.sync()
        #expect(Set(try daemon.search().map(\.path)) == [lib + "/keep/Kick.wav", lib + "/keep/Snare.wav", lib + "/skip/Kick.wav"])
    }

    @Test func ignoreRulesComeFromTheConfig() throws {
        let daemon = DaemonProcess()
        daemon.configText = "[ignore]\npatterns = [\"*_draft.wav\"]\nhidden = false\n"
        try write(daemon.folder.file("library/.hidden/Kick.wav"))
        try write(daemon.folder.file("library/Kick_draft.wav"))
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        #expect(try daemon.search().map(\.path) == [daemon.library + "/.hidden/Kick.wav"])
    }

    @Test func pastTheWatchLimitFoldersArePolled() throws {
        let daemon = DaemonProcess()
        daemon.extraEnvironment = ["LOOPD_MAX_WATCHES": "2"]
        for folder in ["a", "b", "c", "d/e"] { try write(daemon.folder.file("library/\(folder)/first.wav")) }
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let status = try daemon.status()
        #expect(status.watches == 2)
        #expect(status.unwatchedFolders >= 3)
        #expect(try daemon.search().count == 4)
        // Changes in unwatched folders are still found: sync polls them.
        for folder in ["a", "b", "c", "d/e"] { try write(daemon.library + "/\(folder)/second.wav", seed: 5) }
        try FileManager.default.removeItem(atPath: daemon.library + "/d/e/first.wav")
        try daemon.sync()
        #expect(try daemon.search(["second"]).count == 4)
        #expect(try daemon.search().count == 7)
        let text = try daemon.loopctl(["status"])
        #expect(text.stdout.contains("raise fs.inotify.max_user_watches"))
    }

    @Test func unreadableFilesAndFoldersAreReportedNotRetried() throws {
        let daemon = DaemonProcess()
        // As root every file is readable, so run the daemon as nobody.
        if getuid() == 0 {
            daemon.runAs = (65534, 65534)
            chmod(daemon.folder.path, 0o777)
            chmod(daemon.library, 0o777)
        }
        try write(daemon.folder.file("library/open.wav"))
        try write(daemon.folder.file("library/locked.wav"))
        try write(daemon.folder.file("library/closed/inside.wav"))
        chmod(daemon.library + "/locked.wav", 0o000)
        chmod(daemon.library + "/closed", 0o000)
        defer { chmod(daemon.library + "/closed", 0o755) }
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let locked: SampleRecord = try daemon.loopctlJSON(["info", daemon.library + "/locked.wav"])
        #expect(locked.error?.contains("Permission denied") == true)
        let status = try daemon.status()
        #expect(status.errors == 1)
        #expect(status.unreadableFolders == ["Cannot read \(daemon.library)/closed: Permission denied."])
        let analysed = status.analyzedSinceStart
        _ = try daemon.loopctl(["rescan"])
        try daemon.sync()
        #expect(try daemon.status().analyzedSinceStart == analysed, "an unreadable file is not analysed again until it changes")
    }
}
