import Dispatch
import Logging
import LoopWatch

/// The analysis worker pool: up to `count` jobs at once on a concurrent
/// Dispatch queue, fed by the change queue's pump.
///
/// Analysis blocks on file reads and C decoders, so it runs here rather than
/// on Swift's cooperative pool, which stays free to answer queries.
final class AnalysisWorkers: Sendable {
    private let queue: ChangeQueue
    private let processor: JobProcessor
    private let writer: IndexWriter
    private let count: Int
    private let dispatchQueue = DispatchQueue(label: "loopd.analysis", qos: .utility, attributes: .concurrent)

    init(count: Int, queue: ChangeQueue, processor: JobProcessor, writer: IndexWriter) {
        self.count = count
        self.queue = queue
        self.processor = processor
        self.writer = writer
    }

    func start() {
        queue.startWorkers(count: count, on: dispatchQueue) { [queue, processor, writer] job in
            let outcome = processor.process(job)
            processor.logger.debug("job \(job.work) \(job.path) -> \(outcome)")
            switch outcome {
            case let .operations(operations):
                writer.submit(operations, finishing: job)
            case let .retry(work, delay):
                // Queue the file again before finishing, so `sync` keeps waiting for it.
                queue.enqueue(job.path, work, after: delay)
                queue.finish(job)
            }
        }
    }

    /// Waits for every worker to finish its current job; call after closing the queue.
    func waitUntilStopped() {
        queue.waitForWorkers()
    }
}
