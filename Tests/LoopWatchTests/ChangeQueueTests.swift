import Dispatch
import LoopTestSupport
import LoopWatch
import Synchronization
import Testing

@Suite struct ChangeQueueTests {
    @Test func changesToOnePathCoalesce() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/a.wav", .check)
        queue.enqueue("/l/a.wav", .check)
        queue.enqueue("/l/b.wav", .check)
        queue.enqueue("/l/a.wav", .remove)
        #expect(queue.pendingCount == 2)
        let first = try #require(queue.take())
        #expect(first.path == "/l/a.wav")
        #expect(first.work == .remove)
    }

    /// A sync that reaches its wait after shutdown closed the queue must not wait for work that will never run.
    /// The limit stops a hang; it is generous because the resumed test waits for a thread the suite's
    /// long synchronous tests may hold for minutes.
    @Test(.timeLimit(.minutes(5))) func waitingOnAClosedQueueReturns() async {
        let queue = ChangeQueue()
        let sequence = queue.enqueue("/lib/pending.wav", .check)
        queue.close()
        await queue.waitUntilDone(through: sequence)
    }

    @Test func aMoveAbsorbsALaterCheck() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/new.wav", .move(from: "/l/old.wav"))
        queue.enqueue("/l/new.wav", .check)
        #expect(try #require(queue.take()).work == .move(from: "/l/old.wav"))
    }

    @Test func aPathIsNeverInTwoWorkersAtOnce() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/a.wav", .check)
        let running = try #require(queue.take())
        queue.enqueue("/l/a.wav", .check)
        queue.enqueue("/l/b.wav", .check)
        // a.wav is busy, so b.wav comes first.
        let next = try #require(queue.take())
        #expect(next.path == "/l/b.wav")
        queue.finish(running)
        #expect(try #require(queue.take()).path == "/l/a.wav")
    }

    @Test func aMoveSurvivesTheRemovalOfItsDestination() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/b.wav", .move(from: "/l/a.wav"))
        queue.enqueue("/l/b.wav", .remove)
        // The job still knows a.wav's row must go.
        #expect(try #require(queue.take()).work == .move(from: "/l/a.wav"))
    }

    @Test func twoRenamesOntoOneNameKeepBothSources() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/x.wav", .move(from: "/l/a.wav"))
        queue.enqueue("/l/x.wav", .move(from: "/l/b.wav"))
        var jobs: [Job] = []
        while let job = queue.take() {
            jobs.append(job)
            queue.finish(job)
        }
        #expect(jobs.contains { $0.path == "/l/x.wav" && $0.work == .move(from: "/l/b.wav") })
        #expect(jobs.contains { $0.path == "/l/a.wav" && $0.work == .check })
    }

    @Test func aChainOfRenamesRunsInOrder() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/b.wav", .move(from: "/l/a.wav"))
        queue.enqueue("/l/c.wav", .move(from: "/l/b.wav"))
        queue.enqueue("/l/other.wav", .check)
        let first = try #require(queue.take())
        #expect(first.path == "/l/b.wav")
        // b -> c must wait for a -> b, but unrelated work goes ahead.
        #expect(try #require(queue.take()).path == "/l/other.wav")
        #expect(queue.take() == nil)
        queue.finish(first)
        #expect(try #require(queue.take()).path == "/l/c.wav")
    }

    @Test func aMoveHoldsItsSource() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/b.wav", .move(from: "/l/a.wav"))
        let move = try #require(queue.take())
        queue.enqueue("/l/a.wav", .check)
        #expect(queue.take() == nil, "a.wav waits while it is being moved away")
        queue.finish(move)
        #expect(try #require(queue.take()).path == "/l/a.wav")
    }

    @Test func directoryWorkRunsAlone() throws {
        let queue = ChangeQueue()
        queue.enqueue("/l/a.wav", .check)
        queue.enqueue("/l/dir", .removeTree)
        queue.enqueue("/l/b.wav", .check)
        let a = try #require(queue.take())
        #expect(queue.inFlightCount == 1)
        // Nothing may pass the tree job while a.wav runs, and the tree job waits for it.
        queue.finish(a)
        let tree = try #require(queue.take())
        #expect(tree.work == .removeTree)
        queue.finish(tree)
        #expect(try #require(queue.take()).path == "/l/b.wav")
    }

    @Test func waitingCoversEveryEarlierChange() async throws {
        let queue = ChangeQueue()
        let first = queue.enqueue("/l/a.wav", .check)
        queue.enqueue("/l/b.wav", .check)
        let a = try #require(queue.take())
        let b = try #require(queue.take())
        let waiter = Task { await queue.waitUntilDone(through: first) }
        queue.finish(b)
        // b finishing is not enough: a (sequence 1) is still running.
        #expect(!queue.isDone(through: first))
        queue.finish(a)
        #expect(queue.isDone(through: first))
        await waiter.value
        #expect(queue.pendingCount == 0 && queue.inFlightCount == 0)
        await queue.waitUntilDone(through: queue.currentSequence)
    }

    @Test func closingStopsHandingOutJobs() {
        let queue = ChangeQueue()
        queue.enqueue("/l/a.wav", .check)
        queue.close()
        #expect(queue.take() == nil)
    }

    @Test func workersRunEveryJobOnceAtMostNAtATime() {
        let queue = ChangeQueue()
        let ran = Collector<String>()
        let concurrency = Collector<Int>()
        let active = Atomic<Int>(0)
        queue.startWorkers(count: 2, on: DispatchQueue(label: "test", attributes: .concurrent)) { job in
            concurrency.append(active.wrappingAdd(1, ordering: .relaxed).newValue)
            ran.append(job.path)
            active.wrappingSubtract(1, ordering: .relaxed)
            queue.finish(job)
        }
        for index in 0..<50 { queue.enqueue("/l/\(index).wav", .check) }
        #expect(ran.wait { $0.count == 50 })
        #expect(Set(ran.all).count == 50)
        #expect(concurrency.all.allSatisfy { $0 <= 2 })
        queue.close()
        queue.waitForWorkers()
    }
}
