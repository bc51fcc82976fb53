import Foundation
import Logging
import LoopAPI
import LoopCore
@testable import LoopDaemon
import LoopIndex
import LoopRPC
import LoopTestSupport
import LoopWatch
import Testing

/// `sync` with a real watcher on a real folder: the cookie it writes comes back through inotify.
/// A stand-in worker takes the queue's jobs and finishes them, recording each.
// The limit only catches a hang: on a loaded two-core machine the suite's other tests can hold
// every cooperative thread for a minute, so it is generous.
@Suite(.timeLimit(.minutes(5))) final class SyncCoordinatorTests {
    let folder = TemporaryDirectory("sync")
    let queue = ChangeQueue()
    let finished = Collector<String>()
    let store: IndexStore
    let watcher: TreeWatcher
    let scanner: LibraryScanner
    let rootMonitor: RootMonitor
    let holdJobs = HoldSwitch()

    init() throws {
        let library = folder.makeDirectory("lib")
        let roots = LibraryRoots([library])
        let logger = Logger(label: "test")
        store = try IndexStore(path: folder.path + "/index.sqlite")
        watcher = try TreeWatcher(roots: [library], filter: PathFilter(extensions: ["wav"]))
        scanner = LibraryScanner(store: store, queue: queue, watcher: watcher, roots: roots, logger: logger)
        rootMonitor = RootMonitor(roots: roots, scanner: scanner, watcher: watcher, logger: logger)
        watcher.watchTree(library) { _ in }
    }

    deinit {
        queue.close()
        watcher.stop()
        try? store.close()
    }

    func makeSync(commitHeld: @escaping @Sendable () async -> String? = { nil }) -> SyncCoordinator {
        let sync = SyncCoordinator(queue: queue, roots: LibraryRoots([folder.path + "/lib"]), scanner: scanner, rootMonitor: rootMonitor, commitHeld: commitHeld)
        let (queue, finished, holdJobs) = (queue, finished, holdJobs)
        watcher.start { change in
            switch change {
            case let .cookie(name): sync.cookieSeen(name)
            case let .fileCreated(path), let .fileChanged(path): queue.enqueue(path, .check)
            default: break
            }
        }
        queue.startWorkers(count: 1, on: DispatchQueue(label: "sync-test-worker")) { job in
            // A held job stays in flight until the test lets it go.
            holdJobs.waitWhileHeld()
            finished.append(job.path)
            queue.finish(job)
        }
        return sync
    }

    @Test func aSyncReturnsOnlyOnceEveryEarlierChangeIsFinished() async throws {
        let sync = makeSync()
        let paths = try (0..<20).map { index in
            let path = folder.path + "/lib/take \(index).wav"
            try Data([1]).write(to: URL(fileURLWithPath: path))
            return path
        }
        let reply = try await sync.sync()
        #expect(reply.cookie, "the watcher saw the cookie")
        #expect(Set(paths).isSubset(of: Set(finished.all)), "every file written before the sync is finished when it returns")
    }

    @Test func aWaitingSyncEndsWhenLoopdStops() async throws {
        let sync = makeSync()
        holdJobs.hold()
        try Data([1]).write(to: URL(fileURLWithPath: folder.path + "/lib/held.wav"))
        let waiting = Task { try await sync.sync() }
        // Stop while it waits on the held job: it must end with the shutting-down error, not hang.
        sync.shutDown()
        queue.close()
        holdJobs.release()
        let error = await #expect(throws: RPCError.self) { try await waiting.value }
        #expect(error?.code == RPCErrorCode.shuttingDown.rawValue)
    }

    @Test func aSyncFailsWhileTheIndexCannotBeWritten() async throws {
        let sync = makeSync { "The index cannot be written (disk full); 3 changes wait and are retried on their own." }
        let error = await #expect(throws: RPCError.self) { try await sync.sync() }
        #expect(error?.code == RPCErrorCode.indexFailure.rawValue && error?.message.contains("disk full") == true)
    }
}

/// Keeps the stand-in worker's jobs in flight while held.
final class HoldSwitch: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var held = false

    func hold() {
        condition.lock()
        held = true
        condition.unlock()
    }

    func release() {
        condition.lock()
        held = false
        condition.broadcast()
        condition.unlock()
    }

    func waitWhileHeld() {
        condition.lock()
        while held { condition.wait() }
        condition.unlock()
    }
}
