import Dispatch
import Foundation
import LoopAnalysis
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
    let roots: LibraryRoots
    let queue: ChangeQueue
    let writer: IndexWriter
    let workers: AnalysisWorkers
    let watcher: TreeWatcher
    let scanner: LibraryScanner
    let sync: SyncCoordinator
    let logger: Logger
    private let lock: StateDirectoryLock
    private let started = Mutex(false)

    init(config: DaemonConfig, logger: Logger) throws(DaemonError) {
        self.config = config
        self.logger = logger
        lock = try StateDirectoryLock(directory: config.stateDirectory)
        do {
            store = try IndexStore(path: config.databasePath)
        } catch {
            throw .index(path: config.databasePath, reason: "\(error)")
        }
        roots = LibraryRoots(config.roots)
        let queue = ChangeQueue()
        self.queue = queue
        writer = IndexWriter(store: store, queue: queue, logger: logger)
        let processor = JobProcessor(store: store, roots: roots, analyzer: FileAnalyzer(), logger: logger)
        workers = AnalysisWorkers(count: config.workers, queue: queue, processor: processor, writer: writer)

        // The watcher's handler needs the sync coordinator, which needs the
        // scanner, which needs the watcher: a box breaks the cycle.
        let syncBox = SyncBox()
        let roots = self.roots
        do {
            watcher = try TreeWatcher(roots: config.roots, filter: PathFilter(extensions: config.extensions)) { change in
                Self.route(change, queue: queue, roots: roots, sync: syncBox, logger: logger)
            }
        } catch {
            throw .watcher(reason: error.description)
        }
        scanner = LibraryScanner(store: store, queue: queue, watcher: watcher, roots: roots, logger: logger)
        sync = SyncCoordinator(queue: queue, roots: roots, scanner: scanner)
        syncBox.set(sync, scanner: scanner)
    }

    /// Starts the writer, the workers and the watcher, then the first scan in the background.
    func start() {
        started.withLock { $0 = true }
        writer.start()
        workers.start()
        watcher.start()
        scanner.begin()
        Self.detach("loopd-scan") { [scanner] in _ = scanner.scan(nil) }
    }

    /// Scans walk the disk for as long as it takes, so they get their own thread.
    static func detach(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Scans again; returns when the walk is done.
    func rescan(_ directory: String?) async -> RescanReply {
        scanner.begin()
        return await withCheckedContinuation { continuation in
            Self.detach("loopd-rescan") { [scanner] in
                continuation.resume(returning: scanner.scan(directory))
            }
        }
    }

    /// Stops in order: no new events, workers finish their files, the writer
    /// commits the last results, the database closes.
    func stop() {
        guard started.withLock({ $0 }) else {
            try? store.close()
            return
        }
        watcher.stop()
        queue.close()
        workers.waitUntilStopped()
        writer.stop()
        do {
            try store.close()
        } catch {
            logger.error("Closing the index failed: \(error)")
        }
    }

    private static func route(_ change: FileChange, queue: ChangeQueue, roots: LibraryRoots, sync: SyncBox, logger: Logger) {
        switch change {
        case let .fileChanged(path): queue.enqueue(path, .check)
        case let .fileRemoved(path): queue.enqueue(path, .remove)
        case let .fileMoved(from, to): queue.enqueue(to, .move(from: from))
        case let .directoryRemoved(path): queue.enqueue(path, .removeTree)
        case let .directoryMoved(from, to): queue.enqueue(to, .moveTree(from: from))
        case let .rootVanished(path):
            roots.setMissing(path, true)
            logger.warning("Library root \(path) disappeared; its files stay in the index until it returns.")
        case .overflow:
            logger.warning("The inotify queue overflowed; rescanning the library so no change is lost.")
            sync.rescanAll()
        case let .cookie(name):
            sync.cookieSeen(name)
        }
    }
}

/// Lets the watcher's handler reach parts built after the watcher.
private final class SyncBox: @unchecked Sendable {
    // Written once in init before the watcher starts, read only afterwards.
    private var sync: SyncCoordinator?
    private var scanner: LibraryScanner?

    func set(_ sync: SyncCoordinator, scanner: LibraryScanner) {
        self.sync = sync
        self.scanner = scanner
    }

    func cookieSeen(_ name: String) { sync?.cookieSeen(name) }

    func rescanAll() {
        guard let scanner else { return }
        scanner.begin()
        DaemonComponents.detach("loopd-rescan") { _ = scanner.scan(nil) }
    }
}
