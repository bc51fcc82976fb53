import Foundation
import LoopAnalysis
import LoopAPI
import LoopConfig
import LoopCore
import LoopIndex
import LoopRPC
import LoopWatch
import Logging
import Synchronization

/// The running parts of the daemon and how they connect:
/// watcher and scanner -> change queue -> analysis workers -> index writer.
final class DaemonComponents: Sendable {
    let config: DaemonConfig
    let startedAt = Date()
    let store: IndexStore
    /// Copies of the index made for `backup`, until their callers have read them.
    let backups: BackupSnapshots
    let roots: LibraryRoots
    let queue: ChangeQueue
    let writer: IndexWriter
    let workers: AnalysisWorkers
    let watcher: TreeWatcher
    let scanner: LibraryScanner
    let sync: SyncCoordinator
    let rootMonitor: RootMonitor
    let analyzer: IsolatedAnalyzer
    let overflow: OverflowRecovery
    let logger: Logger
    /// Nil when views are off in the config.
    let views: ViewPublisher?
    private let lock: StateDirectoryLock
    private let started = Mutex(false)

    init(config: DaemonConfig, logger: Logger) throws(DaemonError) {
        self.config = config
        self.logger = logger
        lock = try StateDirectoryLock(directory: config.stateDirectory)
        do {
            store = try IndexStore(path: config.databasePath)
            try store.setTemplates(config.templates)
        } catch {
            throw .index(path: config.databasePath, reason: "\(error)")
        }
        backups = BackupSnapshots(stateDirectory: config.stateDirectory, store: store)
        roots = LibraryRoots(config.roots)
        let queue = ChangeQueue()
        self.queue = queue
        writer = IndexWriter(store: store, queue: queue, logger: logger)
        // Decoding untrusted files happens in worker processes started from this executable.
        analyzer = IsolatedAnalyzer(
            executable: FileName.realPath("/proc/self/exe") ?? CommandLine.arguments[0], deadline: config.analysisDeadline, logger: logger
        )
        let processor = JobProcessor(store: store, roots: roots, analyzer: analyzer, logger: logger, settleWindow: config.settleWindow, symlinks: config.symlinks)
        workers = AnalysisWorkers(count: config.workers, queue: queue, processor: processor, writer: writer)

        var trace: (@Sendable (String) -> Void)?
        if logger.logLevel <= .trace {
            trace = { line in logger.trace(Logger.Message(stringLiteral: line)) }
        }
        do {
            watcher = try TreeWatcher(
                roots: config.roots, filter: PathFilter(rules: config.ignore, extensions: config.extensions, symlinks: config.symlinks),
                watchLimit: config.watchLimit,
                trace: trace
            )
        } catch {
            throw .watcher(reason: error.description)
        }
        scanner = LibraryScanner(store: store, queue: queue, watcher: watcher, roots: roots, logger: logger)
        rootMonitor = RootMonitor(roots: roots, scanner: scanner, watcher: watcher, logger: logger, pollInterval: config.pollInterval)
        sync = SyncCoordinator(queue: queue, roots: roots, scanner: scanner, rootMonitor: rootMonitor, commitHeld: { [writer] in
            writer.storageFailure == nil ? nil : await writer.commitHeld()
        })
        overflow = OverflowRecovery(scanner: scanner, logger: logger)
        let (store, roots) = (self.store, self.roots)
        views = config.views.map { ViewPublisher(config: $0, store: store, roots: roots, visibility: config.visibility, logger: logger) }
    }

    /// Starts the writer, the workers and the watcher, then the first scan in the background.
    func start() {
        started.withLock { $0 = true }
        writer.start()
        workers.start()
        // The watcher's changes reach parts built after it (the scanner needs the watcher).
        watcher.start { [queue, scanner, rootMonitor, overflow, sync, settle = config.settleWindow] change in
            Self.route(change, queue: queue, settle: settle, scanner: scanner, rootMonitor: rootMonitor, overflow: overflow, sync: sync)
        }
        // Files of roots taken out of the config go offline: out of search, kept for the root's return.
        let configured = Set(roots.paths)
        for root in (try? store.onlineRoots()) ?? [] where !configured.contains(root) { queue.enqueue(root, .rootOffline) }
        scanner.scanInBackground(nil)
        rootMonitor.start()
    }

    /// Takes the roots of a reloaded config: new roots are watched and
    /// scanned, removed ones unwatched and their files set offline.
    func replaceRoots(with paths: [String]) -> (added: [String], removed: [String]) {
        let change = roots.replace(with: paths)
        for root in change.removed {
            watcher.removeRoot(root)
            queue.enqueue(root, .rootOffline)
        }
        for root in change.added {
            watcher.addRoot(root)
            scanner.scanInBackground(root)
        }
        return change
    }

    /// Scans again; returns when the walk is done.
    func rescan(_ directory: String?) async -> RescanReply {
        await withCheckedContinuation { continuation in
            scanner.scanInBackground(directory, walked: { continuation.resume(returning: $0) })
        }
    }

    /// Wakes everything that waits on the pipeline (sync, scans) so requests can end.
    func beginShutdown() {
        sync.shutDown()
        queue.close()
    }

    /// Stops in order: no new events, workers finish their files, the writer
    /// commits the last results, the database closes.
    func stop() {
        guard started.withLock({ $0 }) else {
            try? store.close()
            return
        }
        rootMonitor.stop()
        watcher.stop()
        queue.close()
        workers.waitUntilStopped()
        analyzer.close()
        writer.stop()
        do {
            try store.close()
        } catch {
            logger.error("Closing the index failed: \(error)")
        }
    }

    private static func route(
        _ change: FileChange, queue: ChangeQueue, settle: Duration, scanner: LibraryScanner, rootMonitor: RootMonitor, overflow: OverflowRecovery, sync: SyncCoordinator
    ) {
        switch change {
        case let .fileChanged(path): queue.enqueue(path, .check)
        case let .fileCreated(path): queue.enqueue(path, .settle, after: settle)
        case let .fileRemoved(path): queue.enqueue(path, .remove)
        case let .fileMoved(from, to): queue.enqueue(to, .move(from: from))
        case let .directoryRemoved(path): queue.enqueue(path, .removeTree)
        case let .directoryMoved(from, to):
            let sequence = queue.enqueue(to, .moveTree(from: from))
            // Work queued for the old paths may run first, and a folder renamed before it
            // was listed was never walked: once the rewrite is in, reconcile the subtree.
            scanner.scanInBackground(to, afterChangesThrough: sequence)
        case .rootVanished: rootMonitor.check()
        case .overflow:
            overflow.overflowed()
            sync.cookiesLost()
        case let .cookie(name): sync.cookieSeen(name)
        }
    }
}
