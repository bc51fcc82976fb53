import ArgumentParser
import Foundation
import LoopCore
import LoopRPC

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("loopd's socket.", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false

    var socketPath: String { socket ?? DefaultPaths().clientSocketPath }

    /// Connects, runs `body`, and turns any failure into one sentence on stderr and exit code 1.
    func withClient<T>(_ body: (RPCClient) throws(RPCClientError) -> T) throws -> T {
        do {
            let client = try RPCClient(socketPath: socketPath)
            return try body(client)
        } catch {
            FileHandle.standardError.write(Data("loopctl: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Prints `value` as pretty JSON.
    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// A file named on the command line: an index id, or a path (made absolute).
struct FileArgument: ExpressibleByArgument {
    var reference: FileReference

    init?(argument: String) {
        if let id = Int64(argument), !FileManager.default.fileExists(atPath: argument) {
            reference = FileReference(id: id)
            return
        }
        var path = argument
        if !path.hasPrefix("/") {
            path = FileManager.default.currentDirectoryPath + "/" + path
        }
        var url = URL(fileURLWithPath: path)
        url.standardize()
        // Resolve symlinks in the folders (the daemon indexes real paths), but not in the file name.
        let folder = url.deletingLastPathComponent().resolvingSymlinksInPath().path
        reference = FileReference(path: (folder == "/" ? "" : folder) + "/" + url.lastPathComponent)
    }
}
