#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopWatch
import Synchronization

/// Implements `sync` with watchman-style cookies: a marker file is created in
/// a root, and once the watcher reports it, every change made before the call
/// has been queued; then it waits for the queue to finish those changes.
final class SyncCoordinator: Sendable {
    private let queue: ChangeQueue
    private let roots: LibraryRoots
    private let scanner: LibraryScanner
    private let rootMonitor: RootMonitor
    private let counter = Atomic<Int>(0)
    private let cookies = Mutex([String: CookieSlot]())

    /// A cookie's progress: the watcher may report it before `sync` starts waiting.
    private enum CookieSlot {
        case expected
        case seen(sequence: UInt64)
        case awaited(CheckedContinuation<UInt64, Never>)
    }
    /// How long to wait for a cookie before trusting the queue alone (e.g. the root lost its watch).
    private let cookieTimeout: Duration
    /// Tries the index writer's held changes and says why they still fail (see
    /// `IndexWriter.commitHeld`): a sync fails while commits do.
    private let commitHeld: @Sendable () async -> String?

    init(queue: ChangeQueue, roots: LibraryRoots, scanner: LibraryScanner, rootMonitor: RootMonitor, cookieTimeout: Duration = .seconds(10),
         commitHeld: @escaping @Sendable () async -> String? = { nil }) {
        self.queue = queue
        self.roots = roots
        self.scanner = scanner
        self.rootMonitor = rootMonitor
        self.cookieTimeout = cookieTimeout
        self.commitHeld = commitHeld
    }

    /// Sync requests in progress.
    var waitingCount: Int { waiting.load(ordering: .relaxed) }
    private let waiting = Atomic<Int>(0)

    func sync() async throws -> SyncReply {
        waiting.add(1, ordering: .relaxed)
        defer { waiting.subtract(1, ordering: .relaxed) }
        let started = ContinuousClock.now
        // A root unmounted or replaced shows no inotify event; look first.
        rootMonitor.check()
        var usedCookie = false
        var sequence = queue.currentSequence
        // An overflow may drop the cookie's own event; the rescan it triggers
        // covers everything, so wait for that and try a fresh cookie.
        for _ in 0..<5 {
            try checkRunning()
            rootMonitor.pollUnwatched()
            await scanner.waitUntilIdle()
            try checkRunning()
            sequence = queue.currentSequence
            guard let (name, path) = createCookie() else { break }
            let seen = await waitForCookie(name)
            unlink(path)
            if seen == Self.lost { continue }
            sequence = seen
            usedCookie = true
            break
        }
        await queue.waitUntilDone(through: sequence)
        try checkRunning()
        if let failure = await commitHeld() { throw RPCError(.indexFailure, failure) }
        return SyncReply(cookie: usedCookie, waitedMs: (ContinuousClock.now - started).milliseconds)
    }

    private static let lost = UInt64.max
    private let stopping = Atomic<Bool>(false)

    /// Makes waiting and future syncs end with a "shutting down" error.
    func shutDown() {
        stopping.store(true, ordering: .relaxed)
        cookiesLost()
    }

    private func checkRunning() throws(RPCError) {
        if stopping.load(ordering: .relaxed) {
            throw RPCError(.shuttingDown, "Shutting down: loopd is stopping, so the index may not be up to date.")
        }
    }

    /// The kernel dropped events: any cookie not seen yet may never be.
    func cookiesLost() {
        let names = cookies.withLock { Array($0.keys) }
        for name in names { resolve(name, sequence: Self.lost) }
    }

    /// Called by the watcher's handler, in event order, when a cookie appears.
    func cookieSeen(_ name: String) {
        resolve(name, sequence: queue.currentSequence)
    }

    private func resolve(_ name: String, sequence: UInt64) {
        let continuation = cookies.withLock { slots -> CheckedContinuation<UInt64, Never>? in
            switch slots[name] {
            case .expected:
                slots[name] = .seen(sequence: sequence)
                return nil
            case let .awaited(continuation):
                slots[name] = nil
                return continuation
            case .seen, nil:
                return nil  // Already resolved, or another process's cookie.
            }
        }
        continuation?.resume(returning: sequence)
    }

    private func waitForCookie(_ name: String) async -> UInt64 {
        let timeout = cookieTimeout
        let expiry = Task { [self] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { resolve(name, sequence: queue.currentSequence) }
        }
        defer { expiry.cancel() }
        return await withCheckedContinuation { continuation in
            let seen = cookies.withLock { slots -> UInt64? in
                if case let .seen(sequence) = slots[name] {
                    slots[name] = nil
                    return sequence
                }
                slots[name] = .awaited(continuation)
                return nil
            }
            if let seen { continuation.resume(returning: seen) }
        }
    }

    /// Creates a cookie in the first writable root; nil when none is writable.
    private func createCookie() -> (name: String, path: String)? {
        let missing = roots.missingRoots
        for root in roots.paths where !missing.contains(root) {
            let name = "\(PathFilter.cookiePrefix)\(getpid())-\(counter.wrappingAdd(1, ordering: .relaxed).newValue)"
            let path = root + "/" + name
            cookies.withLock { $0[name] = .expected }
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
                return (name, path)
            }
            _ = cookies.withLock { $0.removeValue(forKey: name) }
        }
        return nil
    }
}
