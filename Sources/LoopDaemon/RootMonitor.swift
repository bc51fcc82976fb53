import Foundation
import LoopCore
import LoopWatch
import Logging

/// Notices roots that vanish, come back, or are replaced by another device
/// (a disk mounted over the folder shows no inotify event), by checking each
/// root's device and inode every `interval`, before every `sync`, and when
/// the watcher reports a root gone.
final class RootMonitor: Sendable {
    private let roots: LibraryRoots
    private let queue: ChangeQueue
    private let scanner: LibraryScanner
    private let logger: Logger
    private let interval: Duration
    private let stopped = DispatchSemaphore(value: 0)

    init(roots: LibraryRoots, queue: ChangeQueue, scanner: LibraryScanner, logger: Logger, interval: Duration = .seconds(2)) {
        self.roots = roots
        self.queue = queue
        self.scanner = scanner
        self.logger = logger
        self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            // Waiting on the semaphore doubles as the stop signal.
            while stopped.wait(timeout: .now() + .nanoseconds(Int(interval.components.seconds) * 1_000_000_000)) == .timedOut {
                check()
            }
        }
        thread.name = "loopd-roots"
        thread.start()
    }

    func stop() {
        stopped.signal()
    }

    /// Compares each root with what the last scan found, and acts on a difference.
    func check() {
        let missing = roots.missingRoots
        for root in roots.paths {
            let stat = FileStat.of(root)
            let present = stat?.kind == .directory
            if !present {
                if !missing.contains(root) {
                    roots.setMissing(root, true)
                    queue.enqueue(root, .rootOffline)
                    logger.warning("Library root \(root) is gone; its files stay in the index, offline, until it returns.")
                }
                continue
            }
            guard let stat else { continue }
            let known = roots.identity(of: root)
            let replaced = known.map { $0.device != stat.device || $0.inode != stat.inode } ?? false
            if missing.contains(root) || replaced {
                logger.info("Library root \(root) \(replaced ? "is now a different folder or device" : "is back"); reconciling it.")
                roots.setPresent(root, identity: stat)
                scanner.begin()
                DaemonComponents.detach("loopd-root-scan") { [scanner] in scanner.scan(root) }
            }
        }
    }
}
