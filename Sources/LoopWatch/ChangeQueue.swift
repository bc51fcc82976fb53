import Dispatch
import DequeModule
import Foundation

/// What must be done for one path.
public enum Work: Sendable, Equatable {
    /// Look at the file and analyse it if it is new or changed.
    case check
    /// The file is gone.
    case remove
    /// The file arrived here by rename from `from`; then check it.
    case move(from: String)
    /// Everything below the directory is gone.
    case removeTree
    /// The directory arrived here by rename from `from`.
    case moveTree(from: String)

    var isTreeWide: Bool {
        switch self {
        case .removeTree, .moveTree: return true
        case .check, .remove, .move: return false
        }
    }

    /// The work left when `newer` arrives while `self` is still waiting.
    func coalesced(with newer: Work) -> Work {
        switch (self, newer) {
        case (.move, .check): return self
        default: return newer
        }
    }
}

/// A unit of work handed to an analysis worker.
public struct Job: Sendable, Equatable {
    public let path: String
    public let work: Work
    let key: String
    let sequence: UInt64
}

/// The queue between the watcher and scanner and the analysis workers.
///
/// Changes are coalesced per path: a file written ten times while it waits is
/// analysed once. A path is never handed to two workers at once, and
/// directory-wide work runs alone, so rows never see operations out of order.
/// Every change gets a sequence number; `waitUntilDone(through:)` returns once
/// all changes up to it are finished, which is what `sync` needs.
public final class ChangeQueue: @unchecked Sendable {
    // All state below is guarded by `condition`.
    private let condition = NSCondition()
    private var entries: [String: (work: Work, sequence: UInt64, path: String)] = [:]
    private var order = Deque<String>()
    private var inFlight: [String: UInt64] = [:]
    private var treeWorkInFlight = false
    private var lastSequence: UInt64 = 0
    private var closed = false
    private var waiters: [(through: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    private var pump: (queue: DispatchQueue, limit: Int, run: @Sendable (Job) -> Void)?
    private var activeWorkers = 0

    public init() {}

    /// Runs jobs on `dispatchQueue`, at most `count` at a time. A worker block
    /// is dispatched only when there is work and ends when there is none, so
    /// no thread is parked waiting and Dispatch's pool stays free for others.
    public func startWorkers(count: Int, on dispatchQueue: DispatchQueue, run: @escaping @Sendable (Job) -> Void) {
        condition.lock()
        pump = (dispatchQueue, max(1, count), run)
        spawnWorkers()
        condition.unlock()
    }

    /// After `close`, returns once every worker has finished its current job.
    public func waitForWorkers() {
        condition.lock()
        while activeWorkers > 0 { condition.wait() }
        condition.unlock()
    }

    /// Adds work for `path`; returns its sequence number.
    @discardableResult
    public func enqueue(_ path: String, _ work: Work) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        lastSequence += 1
        let key = work.isTreeWide ? "\u{0}tree\u{0}" + path : path
        if let existing = entries[key] {
            entries[key] = (existing.work.coalesced(with: work), existing.sequence, path)
        } else {
            entries[key] = (work, lastSequence, path)
            order.append(key)
        }
        spawnWorkers()
        return lastSequence
    }

    /// The sequence number of the newest change so far.
    public var currentSequence: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return lastSequence
    }

    public var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return entries.count
    }

    public var inFlightCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return inFlight.count
    }

    /// Takes the next job that may run now, or nil when none may (or the queue is closed).
    public func take() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        return closed ? nil : takeRunnable()
    }

    /// Marks a job done; called once its result is committed (or it needed no write).
    public func finish(_ job: Job) {
        condition.lock()
        inFlight[job.key] = nil
        if job.work.isTreeWide { treeWorkInFlight = false }
        let ready = takeSatisfiedWaiters()
        spawnWorkers()
        condition.unlock()
        for waiter in ready { waiter.resume() }
    }

    /// Whether every change with a sequence number up to `sequence` is finished.
    public func isDone(through sequence: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return sequence < oldestOutstanding
    }

    /// Returns once every change with a sequence number up to `sequence` is finished.
    public func waitUntilDone(through sequence: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            waiters.append((sequence, continuation))
            let ready = takeSatisfiedWaiters()
            condition.unlock()
            for waiter in ready { waiter.resume() }
        }
    }

    /// Stops handing out jobs; running ones still finish.
    public func close() {
        condition.lock()
        closed = true
        let pending = waiters.map(\.continuation)
        waiters.removeAll()
        condition.broadcast()
        condition.unlock()
        for waiter in pending { waiter.resume() }
    }

    // Called with the lock held.
    private func spawnWorkers() {
        guard let pump, !closed else { return }
        // A worker that finds nothing runnable (all busy paths) simply ends; `finish` spawns again.
        while activeWorkers < pump.limit && activeWorkers < entries.count {
            activeWorkers += 1
            pump.queue.async { [self] in workerLoop(pump.run) }
        }
    }

    private func workerLoop(_ run: @Sendable (Job) -> Void) {
        while true {
            condition.lock()
            guard !closed, let job = takeRunnable() else {
                activeWorkers -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            condition.unlock()
            run(job)
        }
    }

    // Called with the lock held.
    private func takeRunnable() -> Job? {
        if treeWorkInFlight { return nil }
        for (index, key) in order.enumerated() {
            guard let entry = entries[key] else { continue }
            if entry.work.isTreeWide {
                // A directory-wide change waits for everything before it, and blocks everything after it.
                guard inFlight.isEmpty else { return nil }
                treeWorkInFlight = true
            } else if inFlight[key] != nil {
                continue
            }
            order.remove(at: index)
            entries[key] = nil
            inFlight[key] = entry.sequence
            return Job(path: entry.path, work: entry.work, key: key, sequence: entry.sequence)
        }
        return nil
    }

    // Called with the lock held.
    private var oldestOutstanding: UInt64 {
        min(entries.values.map(\.sequence).min() ?? .max, inFlight.values.min() ?? .max)
    }

    // Called with the lock held.
    private func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
        guard !waiters.isEmpty else { return [] }
        let oldest = oldestOutstanding
        var ready: [CheckedContinuation<Void, Never>] = []
        waiters.removeAll { waiter in
            guard waiter.through < oldest else { return false }
            ready.append(waiter.continuation)
            return true
        }
        return ready
    }
}
