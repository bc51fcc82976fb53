import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Copy a collection's files into a folder or a ZIP file, verifying every copy.",
        discussion: """
            Each file is checked against the SHA-256 stored when it was indexed; a file whose bytes changed \
            unseen (bit rot) stops the export with exit code 5. Nothing is overwritten without --force: \
            existing files are reported before anything is copied. Same-named files get " (2)", " (3)"...

            Examples:
              loopctl export 'Session 12' ~/Desktop/Session12
              loopctl export 'Session 12' --zip ~/Desktop/Session12.zip
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The collection's name.")
    var collection: String

    @Argument(help: "The folder to copy into (created if missing).")
    var folder: String?

    @Option(help: ArgumentHelp("Write one ZIP file instead of a folder.", valueName: "file"))
    var zip: String?

    @Flag(help: "Replace files that already exist.")
    var force = false

    func validate() throws {
        if (folder == nil) == (zip == nil) { throw ValidationError("Give a folder or --zip FILE (one of them).") }
    }

    struct Report: Codable {
        var collection: String
        var destination: String
        var files: Int
        var bytes: Int64
        var verified: Bool
    }

    func run() throws {
        let contents: CollectionContents = try global.call(LoopMethod.collectionShow, CollectionRequest(name: collection))
        let records = contents.records
        let destination: String
        let bytes: Int64
        if let zip {
            destination = absolute(zip)
            if let problem = CopyPlan.unverifiable(records) {
                complain(problem.sentence)
                throw problem.exitCode
            }
            if let remote = try global.remote() {
                bytes = try fetchZip(contents.collection.name, from: remote, to: destination)
            } else {
                bytes = try writeZip(records, to: destination)
            }
        } else {
            destination = absolute(folder ?? ".")
            do {
                try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            } catch {
                complain("Cannot create the folder \(destination): \((error as NSError).localizedDescription).")
                throw ExitCode.ioFailure
            }
            let plan = CopyPlan(records: records, into: destination)
            if let problem = plan.problem(replace: force) {
                complain(problem.sentence)
                throw problem.exitCode
            }
            bytes = try plan.run(label: "Exporting", replace: force, from: global.remote())
        }
        let summary = Report(collection: contents.collection.name, destination: destination, files: records.count, bytes: bytes, verified: true)
        if global.json { return try global.printJSON(summary) }
        output("Exported \(records.count) file\(records.count == 1 ? "" : "s") (\(Formatting.bytes(bytes))) from '\(contents.collection.name)' to \(destination); every copy matched its SHA-256.")
    }

    private func writeZip(_ records: [SampleRecord], to path: String) throws -> Int64 {
        let total = records.reduce(Int64(0)) { $0 + $1.size }
        let progress = ProgressLine("Zipping", files: records.count, bytes: total)
        defer { progress.finish() }
        do {
            let writer = try ZipArchiveWriter(path: path, replace: force)
            var done: Int64 = 0
            for (index, record) in records.enumerated() {
                try writer.add(file: record.path, as: (record.path as NSString).lastPathComponent, expectedHash: record.hash, modified: record.modifiedNs ?? 0) { bytes in
                    progress.update(file: index + 1, bytes: done + bytes)
                }
                done += record.size
            }
            try writer.finish(replace: force)
            return done
        } catch {
            throw ExitCode(report(error))
        }
    }
}

extension ExportCommand {
    /// The server's ZIP of the collection, written as it arrives and put in place when complete
    /// (the server checks each file against its hash as it sends it, and cuts the archive off
    /// rather than send a wrong one).
    private func fetchZip(_ name: String, from remote: RemoteServer, to path: String) throws -> Int64 {
        if !force, FileStat.of(path) != nil {
            complain("\(path) already exists; pass --force to replace it.")
            throw ExitCode.exists
        }
        let partial = (path as NSString).deletingLastPathComponent + "/." + (path as NSString).lastPathComponent + ".openloop-part"
        unlink(partial)
        do {
            return try remote.fetcher.download(from: remote.collection(name, "/zip"), sha256: nil, to: path, partial: partial, replace: force)
        } catch {
            unlink(partial)
            complain("The ZIP could not be fetched: \(error.description).")
            throw ExitCode(error.exitCode)
        }
    }
}

/// A path from the command line made absolute against the working folder.
func absolute(_ path: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
    return ((FileManager.default.currentDirectoryPath + "/" + expanded) as NSString).standardizingPath
}
