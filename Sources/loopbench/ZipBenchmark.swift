import ArgumentParser
import Foundation
import LoopCore
import LoopFiles

/// `export --zip` without the daemon: many small entries, then one large one.
struct ZipBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zip",
        abstract: "Time to write a ZIP archive of many small entries, and of one large entry (hashed and checked while written).",
        discussion: "Past 65,535 entries or 4 GiB the archive gains ZIP64 records; the figures show whether that costs anything."
    )

    @Option(help: "Small entries in the first archive.")
    var entries = 70_000

    @Option(help: "Bytes of each small entry.")
    var entryBytes = 1024

    @Option(help: "Bytes of the large entry (a sparse file: the disk holds only the archive).")
    var largeBytes: Int64 = 1 << 30

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var entries: Int
        var entriesSeconds: Double
        var entriesPerSecond: Double
        var largeBytes: Int64
        var largeSeconds: Double
        var largeMegabytesPerSecond: Double
    }

    func run() throws {
        try workFolder.use(named: "loopbench-zip") { work, library in
            let small = library + "/small.wav"
            try Data(repeating: 7, count: entryBytes).write(to: URL(fileURLWithPath: small))
            var clock = ContinuousClock.now
            let many = try ZipArchiveWriter(path: work + "/many.zip", replace: true)
            for index in 0..<entries {
                try many.add(file: small, as: "samples/file-\(index).wav", expectedHash: nil)
            }
            try many.finish(replace: true)
            let entriesSeconds = (ContinuousClock.now - clock).seconds
            try FileManager.default.removeItem(atPath: work + "/many.zip")

            let large = library + "/large.wav"
            guard FileManager.default.createFile(atPath: large, contents: nil), truncate(large, off_t(largeBytes)) == 0 else {
                throw ValidationError("Cannot make the \(largeBytes)-byte sparse file in \(library).")
            }
            clock = .now
            let one = try ZipArchiveWriter(path: work + "/large.zip", replace: true)
            try one.add(file: large, as: "large.wav", expectedHash: nil)
            try one.finish(replace: true)
            let largeSeconds = (ContinuousClock.now - clock).seconds
            try printJSON(Report(
                entries: entries, entriesSeconds: entriesSeconds, entriesPerSecond: Double(entries) / entriesSeconds,
                largeBytes: largeBytes, largeSeconds: largeSeconds, largeMegabytesPerSecond: Double(largeBytes) / 1_048_576 / largeSeconds
            ))
        }
    }
}
