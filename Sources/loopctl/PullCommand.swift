import ArgumentParser
import Foundation
import LoopCore
import LoopFiles

/// `loopctl pull`: a local folder kept in step with a collection (or your favourites) on a loopweb
/// server, for a laptop's DAW to browse.
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Keep a local folder in step with a collection (or your favourites) on a loopweb server.",
        discussion: """
            Downloads only what is missing or changed (by the SHA-256 the server's index holds), checks \
            every file against it before it takes its place, resumes a download that was cut off, and \
            removes the files it pulled earlier that left the collection (never a file you changed or \
            added yourself). What it pulled is noted in DIR/.openloop-pull.json.

            The server and token come from --server and --token, else $LOOPD_SERVER and $LOOPD_TOKEN \
            (a token from loopctl token create on the server).

            Examples:
              loopctl pull 'Session 12' ~/Samples/Session12 --server https://samples.example.org
              loopctl pull --favourites ~/Samples/Favourites
            """
    )

    @Argument(help: "The collection (a name, as the server shows it).")
    var collection: String?

    @Argument(help: "The local folder.")
    var folder: String

    @Flag(help: "Your favourites instead of a collection.")
    var favourites = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if favourites == (collection != nil) { throw ValidationError("Name a collection or give --favourites (one of them).") }
    }

    struct Summary: Encodable {
        var downloaded = 0
        var downloadedBytes: Int64 = 0
        var unchanged = 0
        var removed = 0
        var failed: [String] = []
    }

    func run() throws {
        guard let remote = try global.remote() else { throw fail("Say which server: --server https://HOST (or set LOOPD_SERVER).") }
        let json = global.json
        let client = remote.fetcher
        let list = favourites ? remote.api("/favourites") : remote.collection(collection ?? "")
        let sounds: [RemoteSound]
        do {
            sounds = try client.sounds(at: list)
        } catch {
            throw fail(error.description)
        }
        let local = (folder as NSString).expandingTildeInPath
        try? FileManager.default.createDirectory(atPath: local + "/.openloop-pull", withIntermediateDirectories: true)
        var manifest = PullManifest.load(from: local)
        var summary = Summary()
        var wanted: Set<String> = []
        for sound in sounds {
            guard let relative = sound.relativePath else {
                summary.failed.append("sound \(sound.id): not a usable name")
                continue
            }
            wanted.insert(relative)
            let path = local + "/" + relative
            let stat = FileStat.of(path)
            if let stat, let noted = manifest.files[relative], noted.sha256 == sound.hash, stat.size == noted.size, stat.mtimeNs == noted.mtimeNs {
                summary.unchanged += 1
                continue
            }
            // A file here that loopctl did not put, or that was changed since: left alone. (Hashed
            // once: a file pulled earlier and untouched has the manifest's hash, a newer version is due.)
            let present = stat == nil ? nil : try? ContentHasher.sha256(path: path)
            if stat != nil, manifest.files[relative] == nil || present != manifest.files[relative]?.sha256 {
                if present == sound.hash {
                    manifest.note(relative, path: path, sha256: sound.hash)
                    summary.unchanged += 1
                } else {
                    summary.failed.append("\(relative): a different file is there already (yours); not replaced")
                }
                continue
            }
            do {
                let bytes = try client.download(from: sound.download, sha256: sound.hash, to: path, partial: local + "/.openloop-pull/\(sound.id).part")
                manifest.note(relative, path: path, sha256: sound.hash)
                summary.downloaded += 1
                summary.downloadedBytes += bytes
                if !json { output("Pulled \(relative)") }
            } catch {
                summary.failed.append("\(relative): \(error.description)")
            }
            try? manifest.save(to: local)
        }
        // What was pulled before and has left the collection goes, if it is still as it was pulled.
        for (relative, noted) in manifest.files where !wanted.contains(relative) {
            let path = local + "/" + relative
            if (try? ContentHasher.sha256(path: path)) == noted.sha256 || FileStat.of(path) == nil {
                try? FileManager.default.removeItem(atPath: path)
                manifest.files[relative] = nil
                summary.removed += 1
                if !json { output("Removed \(relative) (no longer in the \(favourites ? "favourites" : "collection"))") }
            }
        }
        try manifest.save(to: local)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(summary) + Data("\n".utf8))
        } else {
            output("\(summary.downloaded) pulled (\(Formatting.bytes(summary.downloadedBytes))), \(summary.unchanged) unchanged, \(summary.removed) removed.")
        }
        for failure in summary.failed { FileHandle.standardError.write(Data("loopctl: \(failure)\n".utf8)) }
        if !summary.failed.isEmpty { throw ExitCode(ExitCodes.failure) }
    }

    private func fail(_ sentence: String) -> ExitCode {
        FileHandle.standardError.write(Data("loopctl: \(sentence)\n".utf8))
        return ExitCode(ExitCodes.usage)
    }
}

/// A sound as the server lists it: enough to place and check it.
struct RemoteSound: Decodable {
    var id: Int64
    var name: String
    var folder: String
    var size: Int64
    var hash: String
    var download: String

    /// `folder/name` inside the local folder; nil for a name that would leave it.
    var relativePath: String? {
        let parts = (folder.isEmpty ? [] : folder.split(separator: "/").map(String.init)) + [name]
        guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.hasPrefix(".openloop-pull") }), !name.contains("/") else { return nil }
        return parts.joined(separator: "/")
    }
}

/// What `pull` put in the folder: for each file, the hash and the size and time it had then.
struct PullManifest: Codable {
    struct File: Codable {
        var sha256: String
        var size: Int64
        var mtimeNs: Int64
    }

    var files: [String: File] = [:]

    static func load(from folder: String) -> PullManifest {
        (try? Data(contentsOf: URL(fileURLWithPath: folder + "/.openloop-pull.json"))).flatMap { try? JSONDecoder().decode(PullManifest.self, from: $0) } ?? PullManifest()
    }

    mutating func note(_ relative: String, path: String, sha256: String) {
        guard let stat = FileStat.of(path) else { return }
        files[relative] = File(sha256: sha256, size: Int64(stat.size), mtimeNs: stat.mtimeNs)
    }

    func save(to folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: folder + "/.openloop-pull.json"), options: .atomic)
    }
}
