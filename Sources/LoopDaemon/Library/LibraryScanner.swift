import Foundation
import LoopAnalysis
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC
import LoopWatch
import Logging
import Synchronization

/// A file's identity on disk while it is not renamed across devices.
private struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
    init(_ stat: FileStat) {
        device = stat.device
        inode = stat.inode
    }
}

/// Walks the roots, adding watches as it goes, and reconciles the index with
/// what it finds.
///
/// New and changed files are queued for analysis. Rows whose file was not
/// found are first marked offline, so that a file moved while loopd was down
/// can claim its row (by inode, or by content hash); once the queued checks
/// are done, rows still unclaimed are deleted, but only if their device is
/// present. Rows on a missing root or device stay offline, never purged.
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
    private func begin() {
        activity.withLock { $0.running += 1 }
    }

    /// Scans `directory` (a root or a folder inside one), or every root when
    /// nil. Calls `walked` as soon as the walk is done, then waits for the
    /// queued checks and purges what no file claimed. Pair with an earlier `begin()`.
    private func scan(_ directory: String?, walked: (RescanReply) -> Void = { _ in }) {
        defer { end() }
        var reply = RescanReply(filesSeen: 0, queued: 0, removed: 0, missingRoots: [])
        let targets: [(directory: String, root: String)]
        if let directory, let root = roots.root(containing: directory) {
            targets = [(directory, root)]
        } else {
            targets = roots.paths.map { ($0, $0) }
        }
        let started = ContinuousClock.now
        var purges: [(root: String, paths: [String])] = []
        for target in targets {
            if let gone = scan(target.directory, root: target.root, into: &reply), !gone.isEmpty {
                purges.append((target.root, gone))
            }
        }
        logger.info("Scan found \(reply.filesSeen) files: \(reply.queued) to analyse, \(reply.removed) gone, in \(ContinuousClock.now - started).")
        walked(reply)
        guard !purges.isEmpty else { return }
        queue.blockUntilDone(through: queue.currentSequence)
        for purge in purges { queue.enqueue(purge.root, .purge(paths: purge.paths)) }
    }

    /// Starts a scan of `directory` (every root when nil) on its own thread,
    /// counted as running from now so a `sync` made meanwhile waits for it.
    /// `prepare` runs on that thread first; `walked` gets the reply once the walk is done.
    func scanInBackground(
        _ directory: String?,
        prepare: @escaping @Sendable () -> Void = {},
        walked: @escaping @Sendable (RescanReply) -> Void = { _ in }
    ) {
        begin()
        // Scans walk the disk for as long as it takes, so they get their own thread.
        let thread = Thread { [self] in
            prepare()
            scan(directory, walked: walked)
        }
        thread.name = "loopd-scan"
        thread.start()
    }

    /// Scans `directory` in the background once every change up to `sequence` is done.
    func scanInBackground(_ directory: String, afterChangesThrough sequence: UInt64) {
        scanInBackground(directory, prepare: { [queue] in queue.blockUntilDone(through: sequence) })
    }

    /// Records a root as gone: its rows stay, offline, until it returns.
    func markMissing(_ root: String) {
        guard !roots.missingRoots.contains(root) else { return }
        roots.setMissing(root, true)
        queue.enqueue(root, .rootOffline)
        logger.warning("Library root \(root) is missing; its files stay in the index, offline, until it returns.")
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

    private func end() {
        let waiters = activity.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Walks one folder; returns the paths to purge once their claims are settled.
    private func scan(_ directory: String, root: String, into reply: inout RescanReply) -> [String]? {
        guard let rootStat = FileStat.of(root), rootStat.kind == .directory else {
            reply.missingRoots.append(root)
            markMissing(root)
            return nil
        }
        roots.setPresent(root, identity: rootStat)
        let phaseStart = ContinuousClock.now
        // The index is read while the walk runs: each takes a core.
        let reading = BackgroundResult { [store] in
            try store.snapshot(underRoot: root, analysisVersion: FileAnalyzer.versionTag)
        }
        var found = WalkedFiles()
        var devices: Set<UInt64> = [rootStat.device]
        watcher.watchTree(directory, enterDirectory: { _, stat in devices.insert(stat.device) }) { found.append($0) }
        let walkEnd = ContinuousClock.now
        var snapshot: RootSnapshot
        do {
            snapshot = try reading.wait()
        } catch {
            logger.error("Could not read the index for \(root): \(error)")
            return nil
        }
        let loaded = ContinuousClock.now
        var seen = [Bool](repeating: false, count: snapshot.count)
        // Files to look at, and whether a row holds their path.
        var toCheck: [(path: String, stat: FileStat, hasRow: Bool)] = []
        var local = reply
        local.filesSeen += found.count
        found.forEach { file in
            // Most files: found by inode with the same path, unchanged; no String made.
            if let row = snapshot.index(device: file.stat.device, inode: file.stat.inode, isPath: file.hasPath) {
                seen[row] = true
                if !snapshot.isUnchanged(row, for: file.stat) { toCheck.append((file.path, file.stat, true)) }
                return
            }
            let path = file.path
            if let row = snapshot.index(ofPath: path) {
                seen[row] = true
                if snapshot.isUnchanged(row, for: file.stat) { return }
                toCheck.append((path, file.stat, true))
            } else {
                toCheck.append((path, file.stat, false))
            }
        }
        let walked = ContinuousClock.now
        // Rows in scope that no file matched. Hard links give several rows one inode, hence a list.
        let scope = PathKey(directory)
        var vanishedByInode: [FileIdentity: [Int]] = [:]
        for index in seen.indices where !seen[index] {
            guard snapshot.withPathBytes(of: index, { scope.contains(pathBytes: $0) }) else { continue }
            vanishedByInode[FileIdentity(snapshot.rows[index].stat), default: []].append(index)
        }
        // A new name for a vanished row's inode is that file, renamed: pair them first,
        // so a look-alike (same content) cannot claim the row by hash.
        var moves: [(from: String, to: String)] = []
        var checks: [String] = []
        for file in toCheck {
            if !file.hasRow, let from = vanishedByInode[FileIdentity(file.stat)]?.popLast() {
                moves.append((snapshot.path(of: from), file.path))
            } else {
                checks.append(file.path)
            }
        }
        var gone: [String] = [], absent: [String] = []
        for (identity, rows) in vanishedByInode {
            for row in rows {
                // A row on a device that is not mounted here now is absent, not gone.
                if devices.contains(identity.device) {
                    gone.append(snapshot.path(of: row))
                } else if !snapshot.rows[row].offline {
                    absent.append(snapshot.path(of: row))
                }
            }
        }
        if !gone.isEmpty || !absent.isEmpty { queue.enqueue(directory, .offline(paths: gone + absent)) }
        for move in moves { queue.enqueue(move.to, .move(from: move.from)) }
        for path in checks { queue.enqueue(path, .check) }
        local.queued += checks.count + moves.count
        logger.debug("Scan of \(directory): walk \(walkEnd - phaseStart) (index read alongside, waited \(loaded - walkEnd) more), matching \(walked - loaded), reconcile \(ContinuousClock.now - walked).")
        local.removed += gone.count
        reply = local
        if !absent.isEmpty {
            logger.warning("\(absent.count) files under \(directory) are on a device that is not mounted; they stay in the index, offline.")
        }
        return gone
    }
}
