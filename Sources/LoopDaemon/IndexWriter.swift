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
        while true {
            condition.lock()
            while (submissions.isEmpty || frozen) && !stopping { condition.wait() }
            if submissions.isEmpty && stopping {
                stopped = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = Array(submissions.prefix(maxBatch))
            submissions.removeFirst(batch.count)
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [Submission]) {
        let operations = batch.flatMap(\.operations)
        if !operations.isEmpty { write(operations, batch) }
        for submission in batch {
            if let job = submission.job { queue.finish(job) }
            submission.whenCommitted?()
        }
    }

    private func write(_ operations: [IndexOperation], _ batch: [Submission]) {
        do {
            try store.apply(operations)
        } catch {
            // One bad row must not sink its neighbours: retry each alone.
            logger.error("Index batch of \(operations.count) operations failed, retrying one by one: \(error)")
            for submission in batch {
                do {
                    try store.apply(submission.operations)
                } catch {
                    logger.error("Could not write \(submission.job?.path ?? "index change"): \(error)")
                }
            }
        }
        let stores = operations.reduce(0) { count, operation in
            if case .store = operation { return count + 1 }
            return count
        }
        condition.lock()
        storedCount += stores
        condition.unlock()
    }
}
