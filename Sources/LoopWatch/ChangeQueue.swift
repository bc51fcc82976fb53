import Dispatch
import DequeModule
import HeapModule
import Foundation
import LoopCore

/// What must be done for one path.
public enum Work: Sendable, Equatable {
    /// Look at the file and analyse it if it is new or changed.
    case check
    /// Like `check`, but only once the file has been quiet for the settle
    /// window: for files that may still be written (created without a close,
    /// or found incomplete). An immediate `check` supersedes it.
    case settle
    /// The file is gone.
    case remove
    /// The file arrived here by rename from `from`; then check it.
    case move(from: String)
    /// Everything below the directory is gone.
    case removeTree
    /// The directory arrived here by rename from `from`.
    case moveTree(from: String)
    /// Rows a scan did not find: keep them, offline, so a moved file can claim them.
    case offline(paths: [String])
    /// Rows a scan found gone: delete those no new file claimed meanwhile.
    case purge(paths: [String])
    /// The root is gone: keep its rows, marked offline.
    case rootOffline

    var isTreeWide: Bool {
        switch self {
        case .removeTree, .moveTree, .offline, .purge, .rootOffline: return true
        case .check, .settle, .remove, .move: return false
        }
    }

    /// Folder-wide work of different kinds on one folder must not merge.
    var treeKind: String {
        switch self {
        case .removeTree: return "removeTree"
        case .moveTree: return "moveTree"
        case .offline: return "offline"
        case .purge: return "purge"
        case .rootOffline: return "rootOffline"
        case .check, .settle, .remove, .move: return "file"
        }
    }

    /// The work left when `newer` arrives while `self` is still waiting.
    /// A move is kept through later checks and removals: its job looks at the
    /// destination and, if the file is gone, removes the source's row too.
    func coalesced(with newer: Work) -> Work {
        switch (self, newer) {
        case (.move, .check), (.move, .settle), (.move, .remove), (.check, .settle), (.remove, .settle): return self
        default: return newer
        }
    }
}

private struct Entry {
    var work: Work
    var sequence: UInt64
    var path: String
    /// Not to run before this instant (settling files).
    var notBefore: ContinuousClock.Instant?
}

/// A unit of work handed to an analysis worker.
public struct Job: Sendable, Equatable {
    public let path: String
    public let work: Work
    let key: PathKey
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
    private var entries: [PathKey: Entry] = [:]
    private var order = Deque<PathKey>()
    private var inFlight: [PathKey: UInt64] = [:]
    /// Source paths of moves in flight: held like their destinations.
    private var movingFrom: [PathKey: Int] = [:]
    private var treeWorkInFlight = false
    private var lastSequence: UInt64 = 0
    /// Sequence numbers of changes not finished yet (waiting or in flight), and
    /// a heap over them with lazy deletion: `sync` asks for the oldest after every job.
    private var outstanding = Set<UInt64>()
    private var outstandingHeap = Heap<UInt64>()
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

    /// Adds work for `path`, to run no sooner than `delay` from now; returns its sequence number.
    @discardableResult
    public func enqueue(_ path: String, _ work: Work, after delay: Duration? = nil) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        let key = PathKey(work.isTreeWide ? "\u{0}\(work.treeKind)\u{0}" + path : path)
        let notBefore = delay.map { ContinuousClock.now + $0 }
        if var existing = entries[key] {
            if case let .move(earlierSource) = existing.work, case let .move(laterSource) = work, earlierSource != laterSource {
                // Two files renamed onto one name: the first one's row must still be dealt with.
                insert(PathKey(earlierSource), .check, notBefore: nil)
            }
            let merged = existing.work.coalesced(with: work)
            if merged == work {
                // The newer work wins, with its own timing: an immediate check ends a settle wait.
                existing.notBefore = notBefore
            }
            existing.work = merged
            entries[key] = existing
            // A new change, merged into one that is still waiting (whose number it keeps).
            lastSequence += 1
        } else {
            insert(key, work, notBefore: notBefore, path: path)
        }
        if let delay, let pump {
            // A millisecond past the deadline, so the entry is surely due when looked at.
            pump.queue.asyncAfter(deadline: .now() + delay.dispatchInterval + .milliseconds(1)) { [self] in
                condition.lock()
                spawnWorkers()
                condition.unlock()
            }
        }
        spawnWorkers()
        return lastSequence
    }

    // Called with the lock held.
    private func insert(_ key: PathKey, _ work: Work, notBefore: ContinuousClock.Instant?, path: String? = nil) {
        if var existing = entries[key] {
            existing.work = existing.work.coalesced(with: work)
            entries[key] = existing
            return
        }
        lastSequence += 1
        entries[key] = Entry(work: work, sequence: lastSequence, path: path ?? key.path, notBefore: notBefore)
        order.append(key)
        outstanding.insert(lastSequence)
        outstandingHeap.insert(lastSequence)
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
        outstanding.remove(job.sequence)
        if job.work.isTreeWide { treeWorkInFlight = false }
        if case let .move(from) = job.work {
            let source = PathKey(from)
            movingFrom[source, default: 1] -= 1
            if movingFrom[source] == 0 { movingFrom[source] = nil }
        }
        let ready = takeSatisfiedWaiters()
        spawnWorkers()
        condition.broadcast()
        condition.unlock()
        for waiter in ready { waiter.resume() }
    }

    /// Whether every change with a sequence number up to `sequence` is finished.
    public func isDone(through sequence: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return sequence < oldestOutstanding
    }

    /// Blocks the calling thread until every change up to `sequence` is finished (or the queue closes).
    public func blockUntilDone(through sequence: UInt64) {
        condition.lock()
        while !closed && sequence >= oldestOutstanding { condition.wait() }
        condition.unlock()
    }

    /// Returns once every change with a sequence number up to `sequence` is finished.
    public func waitUntilDone(through sequence: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            // A closed queue finishes nothing more: waiting would never end (shutdown raced a sync).
            if closed {
                condition.unlock()
                continuation.resume()
                return
            }
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
        let now = ContinuousClock.now
        // Paths with work waiting ahead of the entry being considered: a move
        // must not overtake earlier work on its source.
        var waitingAhead = Set<PathKey>()
        var chosen: (index: Int, key: PathKey, entry: Entry)?
        // Find first, remove after: removing while iterating would copy the whole queue.
        for (index, key) in order.enumerated() {
            guard let entry = entries[key] else { continue }
            if let notBefore = entry.notBefore, notBefore > now {
                waitingAhead.insert(key)
                continue
            }
            if entry.work.isTreeWide {
                // A directory-wide change waits for everything before it, and blocks everything after it.
                guard inFlight.isEmpty else { return nil }
            } else if inFlight[key] != nil || movingFrom[key] != nil {
                waitingAhead.insert(key)
                continue
            } else if case let .move(from) = entry.work,
                      inFlight[PathKey(from)] != nil || movingFrom[PathKey(from)] != nil || waitingAhead.contains(PathKey(from)) {
                waitingAhead.insert(key)
                continue
            }
            chosen = (index, key, entry)
            break
        }
        if let (index, key, entry) = chosen {
            order.remove(at: index)
            entries[key] = nil
            inFlight[key] = entry.sequence
            if entry.work.isTreeWide { treeWorkInFlight = true }
            if case let .move(from) = entry.work { movingFrom[PathKey(from), default: 0] += 1 }
            return Job(path: entry.path, work: entry.work, key: key, sequence: entry.sequence)
        }
        return nil
    }

    // Called with the lock held.
    private var oldestOutstanding: UInt64 {
        while let oldest = outstandingHeap.min, !outstanding.contains(oldest) { outstandingHeap.removeMin() }
        return outstandingHeap.min ?? .max
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
