import ArgumentParser
import Foundation
import LoopCore
import LoopFiles

/// Copies indexed files out of the library, each verified against the hash
/// stored when it was indexed, with a progress line. Shared by `export` and `get`.
struct CopyPlan {
    struct Item {
        var record: SampleRecord
        var destination: String
    }

    var items: [Item] = []

    /// Destinations named after the files, made unique within the folder (" (2)" before the extension).
    init(records: [SampleRecord], into folder: String) {
        var taken = Set<String>()
        for record in records {
            let name = (record.path as NSString).lastPathComponent
            var candidate = name
            var number = 2
            while taken.contains(candidate.lowercased()) {
                let ext = (name as NSString).pathExtension
                let stem = (name as NSString).deletingPathExtension
                candidate = ext.isEmpty ? "\(stem) (\(number))" : "\(stem) (\(number)).\(ext)"
                number += 1
            }
            taken.insert(candidate.lowercased())
            items.append(Item(record: record, destination: (folder == "/" ? "" : folder) + "/" + candidate))
        }
    }

    init(items: [Item]) {
        self.items = items
    }

    var totalBytes: Int64 { items.reduce(0) { $0 + $1.record.size } }

    /// Why a copy cannot start, and the exit code that says so.
    struct Problem {
        var sentence: String
        var exitCode: ExitCode
    }

    /// The first record that cannot be copied out verified (no hash, or offline), wherever it goes.
    static func unverifiable(_ records: [SampleRecord]) -> Problem? {
        for record in records {
            if record.hash == nil {
                return Problem(sentence: "\(record.path) has no stored content hash to verify against (it could not be read when indexed).", exitCode: .ioFailure)
            }
            if record.offline { return Problem(sentence: "\(record.path) is offline (its folder or disk is missing).", exitCode: .ioFailure) }
        }
        return nil
    }

    /// The first file that cannot be copied as asked, checked before anything is written.
    func problem(replace: Bool) -> Problem? {
        if let problem = Self.unverifiable(items.map(\.record)) { return problem }
        for item in items where !replace && FileStat.of(item.destination) != nil {
            return Problem(sentence: "\(item.destination) already exists; pass --force to replace it.", exitCode: .exists)
        }
        return nil
    }

    /// Copies every file, from the library's disk or, with `remote`, downloaded from that server;
    /// stops at the first failure, said on stderr (files already copied stay: each is complete
    /// and verified).
    func run(label: String, replace: Bool, from remote: RemoteServer? = nil) throws(ExitCode) -> Int64 {
        let progress = ProgressLine(label, files: items.count, bytes: totalBytes)
        defer { progress.finish() }
        var done: Int64 = 0
        for (index, item) in items.enumerated() {
            if let remote {
                let folder = (item.destination as NSString).deletingLastPathComponent
                // Beside the destination, hidden: a run cut short resumes from it.
                let partial = folder + "/." + (item.destination as NSString).lastPathComponent + ".openloop-part"
                do {
                    _ = try remote.fetcher.download(from: remote.api("/sounds/\(item.record.id)/download"), sha256: item.record.hash, to: item.destination, partial: partial, replace: replace)
                } catch {
                    complain("\(item.record.path): \(error.description).")
                    throw ExitCode(error.exitCode)
                }
                done += item.record.size
                progress.update(file: index + 1, bytes: done)
                continue
            }
            do {
                let outcome = try VerifiedCopy.copy(from: item.record.path, to: item.destination, expectedHash: item.record.hash, replace: replace) { bytes in
                    progress.update(file: index + 1, bytes: done + bytes)
                }
                done += outcome.bytes
            } catch {
                throw ExitCode(report(error))
            }
        }
        return done
    }
}

/// The exit code and sentence for a failed copy.
func report(_ error: VerifiedCopyError) -> Int32 {
    complain(error.description)
    switch error {
    case .contentMismatch: return ExitCodes.mismatch
    case .destinationExists: return ExitCodes.exists
    case .unreadable, .unwritable: return ExitCodes.failure
    }
}
