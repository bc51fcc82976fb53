import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Copy files into the library; each appears once, complete, and is indexed before this returns.",
        discussion: """
            Each file is written under a hidden temporary name, flushed to disk, checked, and renamed into place, \
            so the watcher never sees half a file. An existing file is never replaced. --to is a folder inside \
            a root (relative paths are taken from the root); folders are created as needed. Adding needs write \
            access (see access.writers in loopd.toml), and the files are written as you, so the library must \
            be writable by you too.

            A root with a path template (library.templates) places takes by their fields:
              loopctl add take3.wav --artist 'DJ Evan' --song 'Third Room' --track Bass
            puts it at e.g. DJ Evan/Third Room/Bass/v4.wav (the next version) and keeps 'take3.wav' as its original name.

            Examples:
              loopctl add Kick_Hard.wav Snare_Tight.wav --to Drums/One\\ Shots
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files to copy in.")
    var files: [String]

    @Option(help: ArgumentHelp("Folder inside the library (relative to the root, or absolute).", valueName: "folder"))
    var to: String?

    @Option(help: ArgumentHelp("Which root, when the library has several.", valueName: "root"))
    var root: String?

    @OptionGroup var takeOptions: TakeOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one file to add.") }
        if takeOptions.take != nil && to != nil { throw ValidationError("Give --to or take fields (--song...), not both.") }
        if takeOptions.take != nil && files.count != 1 { throw ValidationError("A take is added one file at a time.") }
    }

    func run() throws {
        let sources = files.map(absolute)
        for source in sources {
            guard let stat = FileStat.of(source), stat.kind == .regular else {
                complain("\(source) is not a regular file.")
                throw ExitCode.notFound
            }
        }
        if let remote = try global.remote() { return try upload(sources, to: remote) }
        let status: StatusReport = try global.call(LoopMethod.status)
        let roots = status.roots.map(\.path)
        var request = AddRequest(files: sources.map { AddRequest.File(name: ($0 as NSString).lastPathComponent) })
        if let take = takeOptions.take {
            request.take = take
            request.root = root.map(absolute)
        } else {
            request.folder = try folder(roots: roots)
        }
        let plan: AddPlan = try global.call(LoopMethod.addPrepare, request)

        let total = sources.reduce(Int64(0)) { $0 + (FileStat.of($1)?.size ?? 0) }
        let progress = ProgressLine("Adding", files: sources.count, bytes: total)
        var hashes: [String: String] = [:]
        var done: Int64 = 0
        for (index, (source, entry)) in zip(sources, plan.entries).enumerated() {
            do {
                try FileManager.default.createDirectory(atPath: (entry.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let outcome = try VerifiedCopy.copy(from: source, to: entry.path, expectedHash: nil) { bytes in progress.update(file: index + 1, bytes: done + bytes) }
                done += outcome.bytes
                hashes[entry.path] = outcome.sha256
            } catch let error as VerifiedCopyError {
                progress.finish()
                throw ExitCode(report(error))
            } catch {
                progress.finish()
                complain("Cannot create the folder for \(entry.path): \((error as NSError).localizedDescription).")
                throw ExitCode.ioFailure
            }
        }
        progress.finish()
        let _: SyncReply = try global.call(LoopMethod.sync)
        let records: [SampleRecord] = try global.call(LoopMethod.addComplete, plan)
        // The index must hold exactly the bytes sent.
        for record in records where record.hash != hashes[record.path] {
            complain("\(record.path) was indexed with different content than was copied in (changed meanwhile?).")
            throw ExitCode.mismatch
        }
        if global.json { return try global.printJSON(records) }
        for record in records {
            output("Added \(record.path) (id \(record.id))")
        }
        if records.count < plan.entries.count {
            complain("\(plan.entries.count - records.count) of the files were copied but are not in the index (see loopd's log).")
            throw ExitCode.ioFailure
        }
    }

    /// The absolute folder for --to: relative to the root (the only one, or --root), or as given when absolute.
    private func folder(roots: [String]) throws -> String {
        if let to, to.hasPrefix("/") || to.hasPrefix("~") { return absolute(to) }
        let chosen: String
        if let root {
            chosen = absolute(root)
        } else if roots.count == 1, let only = roots.first {
            chosen = only
        } else {
            complain("The library has several roots (\(roots.joined(separator: ", "))); say which with --root, or give --to as an absolute path.")
            throw ExitCode.usage
        }
        guard let to, !to.isEmpty, to != "." else { return chosen }
        return (chosen == "/" ? "" : chosen) + "/" + to
    }

    /// Each file sent to the server (`PUT /uploads`), which places it as `add` does here, checks
    /// the SHA-256 computed before sending, and answers once it is indexed.
    private func upload(_ sources: [String], to remote: RemoteServer) throws {
        if let to, to.hasPrefix("/") || to.hasPrefix("~") {
            complain("Over --server, --to is a folder inside the root (relative), not \(to).")
            throw ExitCode.usage
        }
        var records: [SampleRecord] = []
        let progress = ProgressLine("Uploading", files: sources.count, bytes: sources.reduce(Int64(0)) { $0 + (FileStat.of($1)?.size ?? 0) })
        var done: Int64 = 0
        for (index, source) in sources.enumerated() {
            let sha256: String
            do {
                sha256 = try ContentHasher.sha256(path: source)
            } catch {
                progress.finish()
                complain("Cannot read \(source): \(error).")
                throw ExitCode.ioFailure
            }
            var query = URLComponents()
            query.queryItems = [URLQueryItem(name: "name", value: (source as NSString).lastPathComponent)]
            if let take = takeOptions.take {
                for (field, value) in [("artist", take.artist), ("song", take.song), ("track", take.track), ("version", take.version)] {
                    if let value { query.queryItems?.append(URLQueryItem(name: field, value: value)) }
                }
            } else if let to, !to.isEmpty, to != "." {
                query.queryItems?.append(URLQueryItem(name: "folder", value: to))
            }
            if let root { query.queryItems?.append(URLQueryItem(name: "root", value: root)) }
            let url = remote.api("/uploads") + "?" + (query.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            struct Created: Decodable { var id: Int64 }
            do throws(RPCClientError) {
                let (_, body) = try remote.exchange { () throws(FetchError) in
                    try remote.fetcher.put(url, file: source, headers: ["X-Content-SHA256": sha256, "Content-Type": "application/octet-stream"])
                }
                guard let created = try? JSONDecoder().decode(Created.self, from: body) else { throw .badReply(reason: "the upload's answer has no id") }
                records.append(try remote.call(LoopMethod.get, FileReference(id: created.id)))
            } catch {
                progress.finish()
                complain("\(source): \(error.description)")
                throw ExitCode(ExitCodes.code(for: error))
            }
            done += FileStat.of(source)?.size ?? 0
            progress.update(file: index + 1, bytes: done)
        }
        progress.finish()
        if global.json { return try global.printJSON(records) }
        for record in records { output("Added \(record.path) (id \(record.id))") }
    }
}
