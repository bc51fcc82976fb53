import Foundation
import LoopAnalysis
import LoopCore
import LoopIndex
import LoopRPC
import LoopWatch
import Logging
import Synchronization

/// Walks the roots, adding watches as it goes, and queues what differs from
/// the index: new or changed files for analysis, vanished files for removal.
/// A missing root is reported and its rows are kept.
final class LibraryScanner: Sendable {
    private let store: IndexStore
    private let queue: ChangeQueue
    private let watcher: TreeWatcher
    private let roots: LibraryRoots
    private let logger: Logger
    private let activity = Mutex(Activity())

    private struct Activity {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    init(store: IndexStore, queue: ChangeQueue, watcher: TreeWatcher, roots: LibraryRoots, logger: Logger) {
        self.store = store
        self.queue = queue
        self.watcher = watcher
        self.roots = roots
        self.logger = logger
    }

    var isScanning: Bool { activity.withLock { $0.running > 0 } }

    /// Marks a scan as started before its thread runs, so `sync` cannot slip in between.
    func begin() {
        activity.withLock { $0.running += 1 }
    }

    /// Scans `directory` (a root or a folder inside one), or every root when nil.
    /// Pair each call with an earlier `begin()`.
    func scan(_ directory: String?) -> RescanReply {
        defer {
            let waiters = activity.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.running -= 1
                guard state.running == 0 else { return [] }
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        var reply = RescanReply(filesSeen: 0, queued: 0, removed: 0, missingRoots: [])
        let targets: [(directory: String, root: String)]
        if let directory, let root = roots.root(containing: directory) {
            targets = [(directory, root)]
        } else {
            targets = roots.paths.map { ($0, $0) }
        }
        let started = ContinuousClock.now
        for target in targets {
            scan(target.directory, root: target.root, into: &reply)
        }
        logger.info("Scan found \(reply.filesSeen) files: \(reply.queued) to analyse, \(reply.removed) gone, in \(ContinuousClock.now - started).")
        return reply
    }

    /// Returns once no scan is running.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = activity.withLock { state -> Bool in
                if state.running == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func scan(_ directory: String, root: String, into reply: inout RescanReply) {
        guard FileStat.of(root)?.kind == .directory else {
            roots.setMissing(root, true)
            reply.missingRoots.append(root)
            logger.warning("Library root \(root) is missing; its files stay in the index until it returns.")
            return
        }
        roots.setMissing(root, false)
        let states: [String: StoredFileState]
        do {
            states = try store.states(underRoot: root)
        } catch {
            logger.error("Could not read the index for \(root): \(error)")
            return
        }
        let version = FileAnalyzer.versionTag
        let prefix = directory + "/"
        var seen = Set<String>()
        var local = reply
        watcher.watchTree(directory) { path, stat in
            seen.insert(path)
            local.filesSeen += 1
            if let state = states[path], state.isCurrent(for: stat, analysisVersion: version) { return }
            queue.enqueue(path, .check)
            local.queued += 1
        }
        for path in states.keys where (directory == root || path.hasPrefix(prefix)) && !seen.contains(path) {
            queue.enqueue(path, .remove)
            local.removed += 1
        }
        reply = local
    }
}
