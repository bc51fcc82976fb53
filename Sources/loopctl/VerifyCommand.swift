#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash files and report any whose bytes changed without a write (bit rot).",
        discussion: """
            A file whose size and modification time are what the index holds, but whose SHA-256 is not, \
            changed without anyone writing it: it is reported as damaged and the exit code is 5. Files \
            changed by a write the daemon has not processed yet, and missing files, are listed apart.

            Examples:
              loopctl verify
              loopctl verify 'path:drums/'
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only files matching this query (default: all).")
    var words: [String] = []

    struct Report: Codable {
        var checked: Int
        var bytes: Int64
        /// Same size and time as indexed, different bytes.
        var damaged: [String]
        /// Written since indexed (the daemon will re-analyse them).
        var changed: [String]
        var missing: [String]
        /// Could not be read, with the reason.
        var unreadable: [String]
    }

    func run() throws {
        let records = try global.findAll(FindRequest(query: words.joined(separator: " "), sort: .name, limit: FindRequest.maxLimit))
        var report = Report(checked: 0, bytes: 0, damaged: [], changed: [], missing: [], unreadable: [])
        let progress = ProgressLine("Verifying", files: records.count, bytes: records.reduce(0) { $0 + $1.size })
        for (index, record) in records.enumerated() {
            defer { progress.update(file: index + 1, bytes: report.bytes) }
            guard let stat = FileStat.of(record.path) else {
                // Only a path that is not there is missing; one hidden from this user was not checked.
                if errno == ENOENT || errno == ENOTDIR {
                    report.missing.append(record.path)
                } else {
                    report.unreadable.append("\(record.path): \(String(cString: strerror(errno)))")
                }
                continue
            }
            guard stat.size == record.size, stat.mtimeNs == record.modifiedNs, let stored = record.hash else {
                report.changed.append(record.path)
                continue
            }
            do {
                let hash = try ContentHasher.sha256(path: record.path)
                report.checked += 1
                report.bytes += stat.size
                if hash != stored { report.damaged.append(record.path) }
            } catch {
                report.unreadable.append(error.description)
            }
        }
        progress.finish()
        if global.json {
            try global.printJSON(report)
        } else {
            output("Checked \(report.checked) file\(report.checked == 1 ? "" : "s") (\(Formatting.bytes(report.bytes))).")
            for path in report.damaged { output("DAMAGED    \(path): its bytes changed without a write (bit rot?)") }
            for path in report.changed { output("CHANGED    \(path): written since it was indexed; loopd re-analyses it") }
            for path in report.missing { output("MISSING    \(path)") }
            for reason in report.unreadable { output("UNREADABLE \(reason)") }
            if !report.unreadable.isEmpty {
                output("\(report.unreadable.count) file\(report.unreadable.count == 1 ? "" : "s") could not be checked.")
            } else if report.damaged.isEmpty {
                output("No damage found.")
            }
        }
        if !report.damaged.isEmpty { throw ExitCode.mismatch }
        if !report.unreadable.isEmpty { throw ExitCode.ioFailure }
    }
}
