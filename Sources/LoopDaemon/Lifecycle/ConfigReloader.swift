import Logging
import LoopConfig
import LoopCore
import LoopSystemd
import ServiceLifecycle
import Synchronization
import UnixSignals

/// SIGHUP: reads the config again. Library roots added or removed take
/// effect at once; a config that does not parse or validate is rejected with
/// its reason logged, and the running one stays in force. Other settings
/// (socket, state folder, workers, ignore rules...) are read at start only,
/// and the log says so when they differ.
final class ConfigReloader: Service {
    private let current: Mutex<DaemonConfig>
    private let components: DaemonComponents
    private let notifier: ServiceNotifier
    private let logger: Logger
    private let read: @Sendable () throws -> DaemonConfig

    init(current: DaemonConfig, components: DaemonComponents, notifier: ServiceNotifier, logger: Logger, read: @escaping @Sendable () throws -> DaemonConfig) {
        self.current = Mutex(current)
        self.components = components
        self.notifier = notifier
        self.logger = logger
        self.read = read
    }

    /// Reloads on every SIGHUP until the daemon stops.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in await UnixSignalsSequence(trapping: .sighup) { self.reload() }
        }
    }

    func reload() {
        notifier.reloading()
        defer { notifier.ready() }
        let new: DaemonConfig
        do {
            new = try read()
        } catch {
            logger.error("Reload rejected, the running configuration stays in force: \(error)")
            return
        }
        let old = current.withLock { old in
            defer { old = new }
            return old
        }
        let change = components.replaceRoots(with: new.roots)
        for root in change.added { logger.notice("Reload: now indexing \(root).", metadata: ["root": "\(root)"]) }
        for root in change.removed {
            logger.notice("Reload: no longer indexing \(root); its files stay in the index, offline, in case it comes back.", metadata: ["root": "\(root)"])
        }
        let needRestart = Self.startOnlySettings(old, new)
        if !needRestart.isEmpty {
            logger.warning("Reload: \(needRestart.joined(separator: ", ")) changed; these take effect at the next restart.")
        }
        if change.added.isEmpty && change.removed.isEmpty && needRestart.isEmpty {
            logger.info("Reload: the configuration is unchanged.")
        }
    }

    /// Names of the settings read only at start that differ.
    static func startOnlySettings(_ old: DaemonConfig, _ new: DaemonConfig) -> [String] {
        var names: [String] = []
        if old.socketPath != new.socketPath || old.socketMode != new.socketMode { names.append("rpc.socket") }
        if old.stateDirectory != new.stateDirectory { names.append("state.dir") }
        if old.workers != new.workers { names.append("analysis.workers") }
        if old.extensions != new.extensions { names.append("library.extensions") }
        if old.ignore != new.ignore { names.append("ignore") }
        return names
    }
}
