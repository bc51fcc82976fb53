import Logging
import LoopConfig
import LoopCore
import LoopRPC
import LoopSpotlight
import LoopSystemd
import ServiceLifecycle
import UnixSignals

/// loopd as a service: builds the pipeline, serves RPC until a graceful
/// shutdown (SIGTERM or SIGINT), then stops the pipeline in order. Tells
/// systemd when it is ready, how indexing goes and that it is alive; SIGHUP
/// reloads the config.
public struct Daemon: Service {
    private let config: DaemonConfig
    private let logger: Logger
    private let reloadConfig: @Sendable () throws -> DaemonConfig

    /// `reloadConfig` reads the config again (on SIGHUP) the way it was read at start.
    public init(config: DaemonConfig, logger: Logger, reloadConfig: @escaping @Sendable () throws -> DaemonConfig) {
        self.config = config
        self.logger = logger
        self.reloadConfig = reloadConfig
    }

    public func run() async throws {
        let notifier = ServiceNotifier()
        // Under socket activation systemd owns the socket; otherwise refuse
        // early, before the state directory or index is touched.
        let inherited = InheritedSockets.take(named: "rpc")
        if inherited == nil { try RPCServer.checkAvailable(socketPath: config.socketPath) }
        let components = try DaemonComponents(config: config, logger: logger)
        var dispatcher = RPCDispatcher()
        let access = AccessPolicy(writersGroupName: components.config.writersGroup, visibility: components.config.visibility)
        if let group = components.config.writersGroup, access.writersGroup == nil {
            logger.warning("access.writers names the group '\(group)', which does not exist; only root and loopd's own user may change shared data.")
        }
        DaemonMethods(daemon: components, access: access).register(in: &dispatcher)
        LibraryMethods(daemon: components, access: access).register(in: &dispatcher)
        ViewMethods(daemon: components, access: access).register(in: &dispatcher)
        RPCServer.raiseDescriptorLimit()
        let server = RPCServer(dispatcher: dispatcher, limits: config.limits)
        var spotlight: SpotlightServer?
        if let endpoint = config.spotlight {
            do {
                spotlight = try await SpotlightServer(host: endpoint.address, port: endpoint.port, store: components.store, logger: logger)
            } catch {
                components.stop()
                throw DaemonError.spotlight(address: endpoint.address, port: endpoint.port, reason: "\(error)")
            }
            logger.info("Answering Spotlight searches from Samba on \(endpoint.address):\(endpoint.port).")
        }
        let spotlightServer = spotlight
        defer {
            components.stop()
            logger.info("loopd stopped; the index is closed.")
        }
        let config = config
        let logger = logger
        let reloader = ConfigReloader(current: config, components: components, notifier: notifier, logger: logger, read: reloadConfig)
        let onListening: @Sendable () -> Void = {
            // Work starts only once the socket is ours, so a refused start changes nothing.
            components.start()
            notifier.ready(status: "scanning the library")
            let socket = inherited.map { "the socket systemd passed (fd \($0))" } ?? config.socketPath
            logger.info("loopd \(LoopdVersion.current) is serving \(socket) for \(config.roots.joined(separator: ", ")); index at \(config.databasePath).")
        }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup { group in
                group.addTask {
                    if let inherited {
                        try await server.run(inheritedSocket: inherited, onListening: onListening)
                    } else {
                        try await server.run(socketPath: config.socketPath, mode: config.socketMode, onListening: onListening)
                    }
                }
                // Status lines cost an index read every few seconds: only when a service manager listens.
                if notifier.isActive {
                    group.addTask { await ServiceMonitor(notifier: notifier, components: components, logger: logger).run() }
                }
                group.addTask { await reloader.run() }
                if let views = components.views {
                    group.addTask { await views.run() }
                }
                if let spotlightServer {
                    group.addTask { await spotlightServer.run() }
                }
                #if DEBUG
                group.addTask { await Self.freezeWriterOnSIGUSR2(components) }
                #endif
                // The server ends the daemon; the helpers end with it.
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            notifier.stopping()
            logger.info("Stopping: finishing the files in progress and closing the index.")
            // Release requests waiting on the pipeline (a sync) first, or their
            // connections would keep the server, and so the shutdown, waiting.
            components.beginShutdown()
            server.stop()
        }
    }

    #if DEBUG
    /// Test builds only: SIGUSR2 freezes the index writer, so a test can see the watchdog pings stop.
    private static func freezeWriterOnSIGUSR2(_ components: DaemonComponents) async {
        for await _ in await UnixSignalsSequence(trapping: .sigusr2) { components.writer.freezeForTesting() }
    }
    #endif
}
