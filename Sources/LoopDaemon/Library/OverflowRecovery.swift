import Foundation
import LoopCore
import Logging
import Synchronization

/// Rescans the library after the kernel dropped inotify events. Repeated
/// overflows back off (see `OverflowBackoff`), so a storm of changes cannot
/// pin the disk.
final class OverflowRecovery: Sendable {
    private struct State {
        var count = 0
        var backoff = OverflowBackoff()
        var rescanPending = false
    }

    private let scanner: LibraryScanner
    private let logger: Logger
    private let state = Mutex(State())

    init(scanner: LibraryScanner, logger: Logger) {
        self.scanner = scanner
        self.logger = logger
    }

    /// Overflows seen since start.
    var count: Int { state.withLock { $0.count } }

    func overflowed() {
        let now = ContinuousClock.now
        let delay = state.withLock { state -> Duration? in
            state.count += 1
            let delay = state.backoff.overflowed(at: now)
            // One pending rescan covers every overflow until it starts.
            guard !state.rescanPending else { return nil }
            state.rescanPending = true
            return delay
        }
        logger.warning("The inotify queue overflowed (\(count) so far); rescanning the library so no change is lost.")
        guard let delay else { return }
        if delay > .zero { logger.warning("Overflows are repeating; waiting \(delay) before rescanning.") }
        // The scan counts as running during the backoff, so a sync waits for it.
        scanner.scanInBackground(nil, prepare: { [self] in
            if delay > .zero { Thread.sleep(forTimeInterval: delay.seconds) }
            state.withLock { $0.rescanPending = false }
        })
    }
}
