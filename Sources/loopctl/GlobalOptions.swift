import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("loopd's socket.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("A loopweb server's URL: run the command there over HTTP, as the token's account (else $LOOPD_SERVER).", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("The API token for --server (else $LOOPD_TOKEN).", valueName: "token"))
    var token: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false

    var socketPath: String { socket ?? DefaultPaths().clientSocketPath }

    /// The server the command runs on, when --server or $LOOPD_SERVER names one; a bad URL or a
    /// missing token is a usage error.
    func remote() throws -> RemoteServer? {
        do {
            return try RemoteServer.named(server: server, token: token)
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("loopctl: \(error.message)\n".utf8))
            throw ExitCode.usage
        }
    }

    /// Connects to loopd's socket, runs `body`, and turns any failure into one sentence on stderr
    /// and its exit code (see `ExitCodes`). Commands that need the socket itself (status, watch,
    /// rescan...) are refused with --server.
    func withClient<T>(_ body: (RPCClient) throws(RPCClientError) -> T) throws -> T {
        if let remote = try remote() {
            FileHandle.standardError.write(Data("loopctl: This command runs on the server itself, not over --server \(remote.base).\n".utf8))
            throw ExitCode.usage
        }
        return try Self.reporting { () throws(RPCClientError) in try body(try RPCClient(socketPath: socketPath)) }
    }

    /// Runs `body`, saying a client's failure in one sentence on stderr and exiting with loopctl's
    /// code for it.
    static func reporting<T>(_ body: () throws(RPCClientError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            FileHandle.standardError.write(Data("loopctl: \(error.description)\n".utf8))
            throw ExitCode(ExitCodes.code(for: error))
        }
    }

    /// The server a command runs through that has no meaning on the socket (the shared
    /// catalogue's): without --server, a usage error that begins with `what`.
    func requiredRemote(_ what: String) throws -> RemoteServer {
        guard let server = try remote() else {
            FileHandle.standardError.write(Data("loopctl: \(what) through a loopweb server: give --server URL and --token T (or LOOPD_SERVER and LOOPD_TOKEN).\n".utf8))
            throw ExitCode.usage
        }
        return server
    }

    /// One call on a fresh connection, or on the server with --server.
    func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params) throws -> Result {
        guard let remote = try remote() else {
            return try withClient { client throws(RPCClientError) in try client.call(method, params: params) }
        }
        return try Self.reporting { () throws(RPCClientError) in try remote.call(method, params) }
    }

    /// One call of a method without params.
    func call<Result>(_ method: RPCMethod<NoParams, Result>) throws -> Result {
        try call(method, NoParams())
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
