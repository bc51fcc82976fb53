import Foundation
import LoopIndex
import LoopWatch
import Logging

/// The index's only writer: commits the workers' results in batches, one
/// transaction each, then marks their jobs finished.
///
/// Batching is what makes cold indexing fast; committing whatever is waiting
/// as soon as the previous commit ends is what keeps a single new file's
/// latency low.
///
/// When the storage fails (disk full, I/O error), what could not be committed
/// is held, in order, and tried again on its own with a growing pause, ahead of
/// anything newer; meanwhile `storageFailure` says why, so `status` shows it and
/// `sync` fails instead of reporting an index that is not up to date.
final class IndexWriter: @unchecked Sendable {
    private struct Submission {
        var operations: [IndexOperation]
        var job: Job?
        var whenCommitted: (@Sendable () -> Void)?
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var submissions: [Submission] = []
    private var stopping = false
    private var stopped = false
    private var storedCount = 0
    private var frozen = false
    /// Submissions a storage failure kept from being committed, oldest first.
    private var held: [Submission] = []
    private var failure: String?
    private var retryPause = IndexWriter.firstRetryPause
    /// A caller (sync) waits on the held changes: try them now rather than after the pause.
    private var retryRequested = false
    private static let firstRetryPause: TimeInterval = 0.5
    private static let longestRetryPause: TimeInterval = 30

    private let store: IndexStore
    private let queue: ChangeQueue
    private let logger: Logger
    private let maxBatch = 512

    init(store: IndexStore, queue: ChangeQueue, logger: Logger) {
        self.store = store
        self.queue = queue
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "loopd-index-writer"
        thread.start()
    }

    /// Queues operations; `job` is finished once they are committed.
    func submit(_ operations: [IndexOperation], finishing job: Job?) {
        condition.lock()
        submissions.append(Submission(operations: operations, job: job))
        condition.signal()
        condition.unlock()
    }

    /// Calls `answered` on the writer's thread once everything queued before it is committed:
    /// how the watchdog knows the writer is alive.
    func ping(_ answered: @escaping @Sendable () -> Void) {
        condition.lock()
        submissions.append(Submission(operations: [], job: nil, whenCommitted: answered))
        condition.signal()
        condition.unlock()
    }

    #if DEBUG
    /// Test builds only: the writer stops committing, as a stuck writer would.
    func freezeForTesting() {
        condition.lock()
        frozen = true
        condition.unlock()
        logger.warning("The index writer is frozen for a test.")
    }
    #endif

    /// Why the index cannot be written now, with how many changes wait; nil when commits work.
    var storageFailure: String? {
        condition.lock()
        defer { condition.unlock() }
        guard let failure else { return nil }
        let waiting = held.reduce(0) { $0 + $1.operations.count }
        return "The index cannot be written (\(failure)); \(waiting) change\(waiting == 1 ? " waits" : "s wait") and \(waiting == 1 ? "is" : "are") retried on their own."
    }

    /// Tries held changes now (after everything queued before this call) and returns
    /// `storageFailure` as it is then: nil when everything is committed.
    func commitHeld() async -> String? {
        await withCheckedContinuation { continuation in
            condition.lock()
            retryRequested = true
            submissions.append(Submission(operations: [], job: nil, whenCommitted: { [self] in continuation.resume(returning: storageFailure) }))
            condition.signal()
            condition.unlock()
        }
    }

    /// Files stored (analysed) since start.
    var stored: Int {
        condition.lock()
        defer { condition.unlock() }
        return storedCount
    }

    /// Commits what is queued, then stops the thread.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        var triedAfterStop = false
        while true {
            condition.lock()
            while (submissions.isEmpty && held.isEmpty || frozen) && !stopping { condition.wait() }
            if !held.isEmpty && !stopping {
                // The storage failed: pause before trying again (a stop cuts the pause short).
                let retryAt = Date(timeIntervalSinceNow: retryPause)
                while !stopping && !retryRequested && condition.wait(until: retryAt) {}
            }
            if submissions.isEmpty && (held.isEmpty || triedAfterStop) && stopping {
                if !held.isEmpty {
                    // The next start's scan finds these files missing from the index and analyses them again.
                    logger.error("Stopping with \(held.count) uncommitted index changes: the storage still fails. The next start's scan redoes them.")
                }
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            if stopping { triedAfterStop = true }
            let batch = held + Array(submissions.prefix(maxBatch))
            submissions.removeFirst(batch.count - held.count)
            held = []
            retryRequested = false
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [Submission]) {
        let operations = batch.flatMap(\.operations)
        let kept = operations.isEmpty ? [] : write(operations, batch)
        condition.lock()
        held = kept.map { Submission(operations: $0.operations, job: nil) }
        retryPause = kept.isEmpty ? Self.firstRetryPause : min(retryPause * 2, Self.longestRetryPause)
        condition.unlock()
        for submission in batch {
            // A job whose change is held still finishes: the held change goes first whenever
            // anything is committed again, so nothing newer overtakes it.
            if let job = submission.job { queue.finish(job) }
            submission.whenCommitted?()
        }
    }

    /// Commits `operations`; returns the submissions a storage failure kept out (a suffix of `batch`).
    private func write(_ operations: [IndexOperation], _ batch: [Submission]) -> ArraySlice<Submission> {
        var kept: ArraySlice<Submission> = []
        do {
            try store.apply(operations)
            count(operations)
        } catch where StorageFailure.isStorageFailure(error) {
            kept = batch[...]
            noteFailure(error)
        } catch {
            // One bad row must not sink its neighbours: retry each alone.
            logger.error("Index batch of \(operations.count) operations failed, retrying one by one: \(error)")
            for (index, submission) in batch.enumerated() {
                do {
                    try store.apply(submission.operations)
                    count(submission.operations)
                } catch where StorageFailure.isStorageFailure(error) {
                    kept = batch[index...]
                    noteFailure(error)
                    break
                } catch {
                    logger.error("Could not write \(submission.job?.path ?? "index change"): \(error)")
                }
            }
        }
        if kept.isEmpty { recovered() }
        return kept
    }

    private func count(_ operations: [IndexOperation]) {
        let stores = operations.reduce(0) { count, operation in
            if case .store = operation { return count + 1 }
            return count
        }
        condition.lock()
        storedCount += stores
        condition.unlock()
    }

    private func noteFailure(_ error: any Error) {
        let reason = StorageFailure.reason(error)
        condition.lock()
        let first = failure == nil
        failure = reason
        condition.unlock()
        if first { logger.critical("The index cannot be written: \(reason). Changes are held and retried on their own.", metadata: ["error_code": "index-storage"]) }
    }

    private func recovered() {
        condition.lock()
        let was = failure
        failure = nil
        condition.unlock()
        if let was { logger.notice("The index can be written again (it failed with: \(was)); held changes are committed.") }
    }
}
