import ArgumentParser
import Foundation
import LoopConfig
import LoopCore
import LoopDaemon
import LoopSystemd
import Logging
import ServiceLifecycle
import UnixSignals

@main
struct Loopd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loopd",
        abstract: "Watches sample-library folders, analyses new audio and answers queries on a Unix socket.",
        discussion: """
            Without --config, the config is read from $LOOPD_CONFIG, then /etc/loopd/loopd.toml (as root), \
            then ~/.config/loopd/loopd.toml; when none exists the defaults apply (library ~/Samples). \
            Flags override the file. SIGTERM or SIGINT stops it cleanly; SIGHUP reloads the config \
            (library roots added or removed take effect at once).

            Under systemd it reports readiness, status and watchdog pings (sd_notify), accepts its \
            socket from socket activation, and logs to the journal with structured fields.
            """,
        version: LoopdVersion.current
    )

    @Option(name: .long, help: ArgumentHelp("Config file (TOML).", valueName: "file"))
    var config: String?

    @Option(name: .customLong("library"), help: ArgumentHelp("A library folder to index; repeat for several. Replaces the config's roots.", valueName: "dir"))
    var libraries: [String] = []

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Folder for the index database.", valueName: "dir"))
    var stateDirectory: String?

    @Option(name: .long, help: ArgumentHelp("Unix socket to serve JSON-RPC on.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Analysis threads (0: one per core).", valueName: "n"))
    var workers: Int?

    @Flag(name: .long, help: "Log debug detail; twice (-vv style: --verbose --verbose) also logs every inotify event.")
    var verbose: Int

    @Flag(name: .customLong("print-config"), help: "Print the resolved configuration and exit.")
    var printConfig = false

    /// The daemon starts itself with this to decode files in a separate process.
    @Flag(name: .customLong("analysis-worker"), help: .hidden)
    var analysisWorker = false

    func validate() throws {
        if let workers, !(0...256).contains(workers) {
            throw ValidationError("--workers must be between 0 and 256.")
        }
    }

    func run() async throws {
        InheritedDescriptors.closeStray()
        if analysisWorker { AnalysisWorkerMain.run() }
        let level: Logger.Level = verbose >= 2 ? .trace : (verbose == 1 ? .debug : .info)
        // To journald with structured fields when stderr is the journal, else `<N>`-prefixed lines on stderr.
        let destination = JournalLogHandler.detectDestination()
        LoggingSystem.bootstrap { label in
            var handler = JournalLogHandler(label: label, identifier: "loopd", destination: destination)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "loopd")
        logger.logLevel = level
        let overrides = ConfigOverrides(configFile: config, roots: libraries, stateDirectory: stateDirectory, socketPath: socket, workers: workers)
        let resolved: DaemonConfig
        do {
            resolved = try ConfigResolver().resolve(overrides)
        } catch {
            Self.fail(error.description)
        }
        if printConfig {
            print(ConfigPrinter.toml(resolved))
            return
        }
        do {
            let services = try await Daemon.services(config: resolved, logger: logger) { try ConfigResolver().resolve(overrides) }
            let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
            try await group.run()
        } catch {
            Self.fail(String(describing: error))
        }
    }

    private static func fail(_ sentence: String) -> Never {
        FileHandle.standardError.write(Data("loopd: \(sentence)\n".utf8))
        Foundation.exit(1)
    }
}
