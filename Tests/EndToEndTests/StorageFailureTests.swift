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

/// The state folder on a real, small tmpfs that is then filled: commits fail,
/// and that must be visible and mended on its own once space returns.
@Suite struct StorageFailureTests {
    @Test(.timeLimit(.minutes(3))) func aFullDiskIsVisibleAndWhatFailedIsCommittedWhenSpaceReturns() throws {
        guard getuid() == 0 else {
            try #require(ProcessInfo.processInfo.environment["CI"] == nil, "CI runs as root")
            print("StorageFailureTests skipped: mounting a tmpfs needs root.")
            return
        }
        let daemon = DaemonProcess()
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        let mounted = try DaemonProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", daemon.stateDirectory], environment: [:]).status
        try #require(mounted == 0, "mount a 6 MB tmpfs for the state folder")
        defer { _ = try? DaemonProcess.run("/bin/umount", ["-l", daemon.stateDirectory], environment: [:]) }
        func write(_ name: String, seed: UInt64) throws {
            try SignalWriter.write(path: daemon.folder.file("library/" + name), kind: .wav16,
                                   interleaved: LoopPattern.house.render(bpm: 124, beats: 8, sampleRate: 44100, seed: seed), sampleRate: 44100)
        }
        try write("Before/Loop 0.wav", seed: 0)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()

        // Fill what is left of the state folder.
        let filler = daemon.stateDirectory + "/filler"
        let fd = open(filler, O_CREAT | O_WRONLY, 0o600)
        try #require(fd >= 0)
        let block = [UInt8](repeating: 1, count: 64 * 1024)
        while block.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) > 0 {}
        #expect(errno == ENOSPC)
        close(fd)

        for index in 0..<40 { try write("During/Loop \(index).wav", seed: UInt64(index + 1)) }
        let failed = try daemon.loopctl(["sync"])
        #expect(failed.status == 7, "sync fails while commits fail: \(failed.stderr)")
        #expect(failed.stderr.contains("The index cannot be written"), "\(failed.stderr)")
        let status = try daemon.loopctl(["status", "--json"])
        #expect(status.status == 7, "status exits 7 while the index cannot be written")
        let report = try JSONDecoder().decode(StatusReport.self, from: Data(status.stdout.utf8))
        #expect(report.storageError?.contains("retried on their own") == true, "\(report.storageError ?? "nil")")

        // Space returns: the held changes are committed, with no rescan asked for.
        unlink(filler)
        let recovered = try daemon.loopctl(["sync"])
        #expect(recovered.status == 0, "\(recovered.stderr)")
        #expect(try daemon.search(["path:During"]).count == 40, "every file that arrived while the disk was full is indexed")
        #expect(try daemon.status().storageError == nil)
    }
}
