import Logging
import LoopConfig
import LoopIndex
import LoopRPC
import LoopRPCNIO
import LoopSystemd
import ServiceLifecycle

/// The JSON-RPC server as a service: serves the daemon's methods on its Unix socket (or the one
/// systemd passed), starts the pipeline once the socket is bound, and on shutdown releases the
/// requests that wait on the pipeline before it stops serving.
struct RPCService: Service {
    let components: DaemonComponents
    let server: RPCServer
    /// The socket systemd passed, under socket activation.
    let inheritedSocket: Int32?
    let notifier: ServiceNotifier
    let logger: Logger

    init(components: DaemonComponents, inheritedSocket: Int32?, notifier: ServiceNotifier, logger: Logger) {
        self.components = components
        self.inheritedSocket = inheritedSocket
        self.notifier = notifier
        self.logger = logger
        var dispatcher = RPCDispatcher()
        let store = components.store
        let access = AccessPolicy(
            writersGroupName: components.config.writersGroup, visibility: components.config.visibility,
            webAccounts: { name in try await store.webAccount(named: name) }
        )
        if let group = components.config.writersGroup, access.writersGroup == nil {
            logger.warning("access.writers names the group '\(group)', which does not exist; only root and loopd's own user may change shared data.")
        }
        DaemonMethods(daemon: components, access: access).register(in: &dispatcher)
        LibraryMethods(daemon: components, access: access).register(in: &dispatcher)
        ViewMethods(daemon: components, access: access).register(in: &dispatcher)
        AccountMethods(daemon: components, access: access).register(in: &dispatcher)
        TrashMethods(daemon: components, access: access).register(in: &dispatcher)
        ChangeMethods(daemon: components, access: access).register(in: &dispatcher)
        RPCServer.raiseDescriptorLimit()
        server = RPCServer(dispatcher: dispatcher, limits: components.config.limits)
    }

    func run() async throws {
        let (components, notifier, logger, inheritedSocket) = (components, notifier, logger, inheritedSocket)
        let config = components.config
        let onListening: @Sendable () -> Void = {
            // Work starts only once the socket is ours, so a refused start changes nothing.
            components.start()
            notifier.ready(status: "scanning the library")
            let socket = inheritedSocket.map { "the socket systemd passed (fd \($0))" } ?? config.socketPath
            logger.info("loopd \(LoopdVersion.current) is serving \(socket) for \(config.roots.joined(separator: ", ")); index at \(config.databasePath).")
        }
        try await withGracefulShutdownHandler {
            if let inheritedSocket {
                try await server.run(inheritedSocket: inheritedSocket, onListening: onListening)
            } else {
                try await server.run(socketPath: config.socketPath, mode: config.socketMode, onListening: onListening)
            }
        } onGracefulShutdown: { [server] in
            notifier.stopping()
            logger.info("Stopping: finishing the files in progress and closing the index.")
            // Release requests waiting on the pipeline (a sync) first, or their
            // connections would keep the server, and so the shutdown, waiting.
            components.beginShutdown()
            server.stop()
        }
    }
}
