import Foundation
import LoopCore
import LoopWatch
import Logging
import Synchronization

/// Notices roots that vanish, come back, or are replaced by another device
/// (a disk mounted over the folder shows no inotify event), by checking each
/// root's device and inode every `interval`, before every `sync`, and when
/// the watcher reports a root gone. It also rescans, every `pollInterval`,
/// the folders left unwatched once the inotify watch limit was reached.
final class RootMonitor: Sendable {
    private let roots: LibraryRoots
    private let scanner: LibraryScanner
    private let watcher: TreeWatcher
    private let logger: Logger
    private let interval: Duration
    private let pollInterval: Duration
    private let stopped = DispatchSemaphore(value: 0)
    private let lastPoll = Mutex(ContinuousClock.now)

    init(
        roots: LibraryRoots, scanner: LibraryScanner, watcher: TreeWatcher,
        logger: Logger, interval: Duration = .seconds(2), pollInterval: Duration = .seconds(30)
    ) {
        self.roots = roots
        self.scanner = scanner
        self.watcher = watcher
        self.logger = logger
        self.interval = interval
        self.pollInterval = pollInterval
    }

    func start() {
        let thread = Thread { [self] in
            // Waiting on the semaphore doubles as the stop signal.
            while stopped.wait(timeout: .now() + interval.dispatchInterval) == .timedOut {
                check()
                let due = lastPoll.withLock { ContinuousClock.now - $0 >= pollInterval }
                if due { pollUnwatched() }
            }
        }
        thread.name = "loopd-roots"
        thread.start()
    }

    func stop() {
        stopped.signal()
    }

    /// Rescans the folders inotify could not watch, so their changes are still found.
    func pollUnwatched() {
        lastPoll.withLock { $0 = .now }
        if watcher.takeLimitNotice() {
            logger.warning("""
                The inotify watch limit is reached: \(watcher.unwatchedDirectories.count) folders are polled every \(pollInterval) \
                instead of watched. Raise it with 'sysctl fs.inotify.max_user_watches=524288' \
                (and a file in /etc/sysctl.d to keep it).
                """)
        }
        // Rescanning a folder rescans below it, so only the topmost unwatched ones are needed.
        let unwatched = watcher.unwatchedDirectories
        let topmost = unwatched.filter { path in !unwatched.contains { path != $0 && path.hasPrefix($0 + "/") } }
        for directory in topmost { scanner.scanInBackground(directory) }
    }

    /// Compares each root with what the last scan found, and acts on a difference.
    func check() {
        let missing = roots.missingRoots
        for root in roots.paths {
            let stat = FileStat.of(root)
            let present = stat?.kind == .directory
            if !present {
                scanner.markMissing(root)
                continue
            }
            guard let stat else { continue }
            let known = roots.identity(of: root)
            let replaced = known.map { $0.device != stat.device || $0.inode != stat.inode } ?? false
            if missing.contains(root) || replaced {
                logger.info("Library root \(root) \(replaced ? "is now a different folder or device" : "is back"); reconciling it.")
                roots.setPresent(root, identity: stat)
                scanner.scanInBackground(root)
            }
        }
    }
}
