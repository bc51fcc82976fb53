import Logging
import LoopConfig
import LoopCore
import LoopRPC
import LoopRPCNIO
import LoopSystemd
import ServiceLifecycle

/// loopd as a list of services for one `ServiceGroup`, in start order. The group stops them in
/// reverse: first the helpers (config reloader, views), then the RPC server (which
/// first releases requests waiting on the pipeline), then the status monitor, and last the
/// pipeline, whose workers finish their files and whose writer commits before the index closes.
public enum Daemon {
    /// Checks the socket, opens the index and builds the pipeline; any of these
    /// failing stops loopd before anything was changed. `reloadConfig` reads the config again
    /// (on SIGHUP) the way it was read at start.
    public static func services(
        config: DaemonConfig, logger: Logger, reloadConfig: @escaping @Sendable () throws -> DaemonConfig
    ) async throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let notifier = ServiceNotifier()
        // Under socket activation systemd owns the socket; otherwise refuse
        // early, before the state directory or index is touched.
        let inherited = InheritedSockets.take(named: "rpc")
        if inherited == nil { try RPCServer.checkAvailable(socketPath: config.socketPath) }
        let components = try DaemonComponents(config: config, logger: logger)
        if let endpoint = config.spotlight {
            // loopd keeps no network access: the listener Samba asks lives in loopweb.
            logger.warning("[spotlight] in loopd's config is no longer served by loopd: run loopweb --spotlight \(endpoint.address):\(endpoint.port) for Finder search.")
        }
        let rpc = RPCService(components: components, inheritedSocket: inherited, notifier: notifier, logger: logger)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PipelineService(components: components, logger: logger), serviceName: "pipeline"),
        ]
        // Status lines cost an index read every few seconds: only when a service manager listens.
        if notifier.isActive {
            services.append(.init(service: ServiceMonitor(notifier: notifier, components: components, logger: logger), serviceName: "status"))
        }
        // The server ends the daemon: when it stops, the group stops the rest in order.
        services.append(.init(service: rpc, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "rpc"))
        if let views = components.views { services.append(.init(service: views, serviceName: "views")) }
        let reloader = ConfigReloader(current: config, components: components, notifier: notifier, logger: logger, read: reloadConfig)
        services.append(.init(service: reloader, serviceName: "reload"))
        #if DEBUG
        services.append(.init(service: WriterFreezer(components: components), serviceName: "freeze"))
        #endif
        return services
    }
}
