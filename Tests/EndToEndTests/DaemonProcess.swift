#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopTestSupport
import Testing

/// A real `loopd` on a temporary library, and `loopctl` pointed at it.
final class DaemonProcess: @unchecked Sendable {
    let folder: TemporaryDirectory
    let library: String
    let stateDirectory: String
    let socket: String
    private(set) var process: Process?
    private(set) var log = Collector<String>()

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// TOML written to a config file passed with --config.
    var configText: String?
    /// Added to loopd's environment.
    var extraEnvironment: [String: String] = [:]
    /// Run loopd as this user and group (via setpriv), e.g. to meet permission errors as root.
    var runAs: (uid: UInt32, gid: UInt32)?
    /// Run this copy of loopd instead of the built one (its analysis workers start from it too).
    var executable: String?

    init(folder: TemporaryDirectory = TemporaryDirectory("e2e")) {
        self.folder = folder
        library = folder.makeDirectory("library")
        stateDirectory = folder.path + "/state"
        socket = folder.path + "/loopd.sock"
    }

    var pid: Int32 { process?.processIdentifier ?? -1 }

    func signal(_ signal: Int32) {
        if let process { kill(process.processIdentifier, signal) }
    }

    /// `loopctl status --json`.
    func status() throws -> StatusReport {
        try loopctlJSON(["status"])
    }

    deinit {
        if let process, process.isRunning { process.terminate() }
    }

    static func binary(_ name: String) throws -> String {
        try #require(BuiltProducts.path(of: name), "\(name) is built beside the tests")
    }

    /// The environment both binaries run in: no user config, a private HOME.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["LOOPD_CONFIG"] = nil
        environment["LOOPD_SOCKET"] = socket
        environment["HOME"] = folder.path
        environment["XDG_CONFIG_HOME"] = folder.path + "/config"
        // Even when the tests themselves run under systemd, loopd must not think it does.
        for key in ["NOTIFY_SOCKET", "JOURNAL_STREAM", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "CONFIGURATION_DIRECTORY"] {
            environment[key] = nil
        }
        return environment
    }

    var defaultArguments: [String] {
        ["--library", library, "--state-dir", stateDirectory, "--socket", socket, "--workers", "2"]
    }

    /// Starts loopd and returns once it says it is serving (or has exited).
    func start(arguments: [String]? = nil) throws {
        let process = Process()
        var arguments = arguments ?? defaultArguments
        if let configText {
            let config = folder.path + "/loopd.toml"
            try configText.write(toFile: config, atomically: true, encoding: .utf8)
            arguments += ["--config", config]
        }
        if let runAs {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(runAs.uid)", "--regid=\(runAs.gid)", "--clear-groups", "--", try executable ?? Self.binary("loopd")] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: try executable ?? Self.binary("loopd"))
            process.arguments = arguments
        }
        process.environment = environment.merging(extraEnvironment) { _, extra in extra }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let log = Collector<String>()
        self.log = log
        let ended = Collector<Bool>()
        process.terminationHandler = { _ in ended.append(true) }
        try process.run()
        self.process = process
        Thread.detachNewThread {
            let handle = errors.fileHandleForReading
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    log.append(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { log.append(String(decoding: pending, as: UTF8.self)) }
            log.append("<eof>")
        }
        let ready = log.wait(timeout: 30) { lines in lines.contains { $0.contains("is serving") || $0 == "<eof>" } }
        #expect(ready, "loopd announced it is serving")
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return -1 }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs loopctl with `arguments` and collects what it printed.
    func loopctl(_ arguments: [String], input: String? = nil) throws -> Output {
        try Self.run(try Self.binary("loopctl"), arguments, environment: environment, input: input)
    }

    /// Runs loopctl as another user and group (via setpriv), to meet the daemon as someone else.
    func loopctl(_ arguments: [String], as user: (uid: UInt32, gid: UInt32)) throws -> Output {
        try Self.run("/usr/bin/setpriv", ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--", try Self.binary("loopctl")] + arguments, environment: environment)
    }

    /// Runs loopctl with `--json` and decodes its output.
    func loopctlJSON<T: Decodable>(_ arguments: [String], as type: T.Type = T.self) throws -> T {
        let output = try loopctl(arguments + ["--json"])
        #expect(output.status == 0, "loopctl \(arguments) failed: \(output.stderr)")
        return try JSONDecoder().decode(T.self, from: Data(output.stdout.utf8))
    }

    /// `loopctl sync`, again when its cookie was not seen in time (a starved machine: loopd then
    /// trusts its queue alone, which may not hold the newest files yet); a few tries at most.
    func sync() throws {
        for _ in 1...3 {
            let output = try loopctl(["sync", "--json"])
            #expect(output.status == 0, "sync failed: \(output.stderr)")
            guard output.status == 0, let reply = try? JSONDecoder().decode(SyncReply.self, from: Data(output.stdout.utf8)), !reply.cookie else { return }
        }
    }

    /// Every record matching `arguments` (a query and options of `loopctl search`).
    func search(_ arguments: [String] = []) throws -> [SampleRecord] {
        try loopctlJSON(["search", "--all", "--limit", "10000"] + arguments, as: FindResult.self).records
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String], input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Never the test runner's own stdin, which may be a terminal.
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
        let errorReader = Collector<Data>()
        Thread.detachNewThread { errorReader.append(err.fileHandleForReading.readDataToEndOfFile()) }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        errorReader.wait(timeout: 60) { !$0.isEmpty }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: errorReader.all.first ?? Data(), as: UTF8.self)
        )
    }
}
