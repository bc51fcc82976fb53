import LoopCore
import LoopRPC
import Logging
import ServiceLifecycle

/// loopd as a service: builds the pipeline, serves RPC until a graceful
/// shutdown (SIGTERM or SIGINT), then stops the pipeline in order.
public struct Daemon: Service {
    private let config: DaemonConfig
    private let logger: Logger

    public init(config: DaemonConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        // Refuse early, before the state directory or index is touched.
        try RPCServer.checkAvailable(socketPath: config.socketPath)
        let components = try DaemonComponents(config: config, logger: logger)
        var dispatcher = RPCDispatcher()
        DaemonMethods(daemon: components).register(in: &dispatcher)
        let server = RPCServer(dispatcher: dispatcher)
        defer {
            components.stop()
            logger.info("loopd stopped; the index is closed.")
        }
        let config = config
        let logger = logger
        try await withGracefulShutdownHandler {
            try await server.run(socketPath: config.socketPath, mode: config.socketMode) {
                // Work starts only once the socket is ours, so a refused start changes nothing.
                components.start()
                logger.info("loopd \(LoopdVersion.current) is serving \(config.socketPath) for \(config.roots.joined(separator: ", ")); index at \(config.databasePath).")
            }
        } onGracefulShutdown: {
            // Release requests waiting on the pipeline (a sync) first, or their
            // connections would keep the server, and so the shutdown, waiting.
            components.beginShutdown()
            server.stop()
        }
    }
}
