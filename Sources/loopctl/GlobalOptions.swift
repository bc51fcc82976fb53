import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("loopd's socket.", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false

    var socketPath: String { socket ?? DefaultPaths().clientSocketPath }

    /// Connects, runs `body`, and turns any failure into one sentence on stderr and its exit code (see `ExitCodes`).
    func withClient<T>(_ body: (RPCClient) throws(RPCClientError) -> T) throws -> T {
        do {
            let client = try RPCClient(socketPath: socketPath)
            return try body(client)
        } catch {
            FileHandle.standardError.write(Data("loopctl: \(error.description)\n".utf8))
            throw ExitCode(ExitCodes.code(for: error))
        }
    }

    /// One call on a fresh connection.
    func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params) throws -> Result {
        try withClient { client throws(RPCClientError) in try client.call(method, params: params) }
    }

    /// One call of a method without params on a fresh connection.
    func call<Result>(_ method: RPCMethod<NoParams, Result>) throws -> Result {
        try withClient { client throws(RPCClientError) in try client.call(method) }
    }

    /// Every match of a search, page after page.
    func findAll(_ request: FindRequest) throws -> [SampleRecord] {
        var request = request
        var records: [SampleRecord] = []
        while true {
            let page: FindResult = try call(LoopMethod.find, request)
            records += page.records
            guard let next = page.next else { return records }
            request.cursor = next
        }
    }

    /// Prints `value` as pretty JSON.
    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // JSON keeps non-UTF-8 name bytes as their escape characters (see the protocol document).
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
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
        // Resolve the folders (the daemon indexes real paths), but not a link in the file name itself.
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let name = String(path[path.index(after: slash)...])
        let folder = FileName.realPath(String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])) ?? String(path[..<slash])
        reference = FileReference(path: (folder == "/" ? "" : folder) + "/" + name)
    }
}
