import PostgresNIO
import Synchronization

/// Work on a connection that ends when the connection does. postgres-nio (1.33) writes a query to
/// its channel without a promise for the write, so a query issued just after the server closed the
/// connection (a primary that crashed between two statements of a transaction) is never answered
/// and its caller waits for ever. Here the work is left behind once the connection has been seen
/// closed for a moment without it ending, and the caller gets `ConnectionClosed`, which may mean failover.
enum ClosedConnectionGuard {
    /// How often the connection is looked at, and how long work may go on once it is seen closed:
    /// enough for the error the connection did report to reach the work first.
    static let grace = Duration.seconds(1)

    static func run<Result: Sendable>(
        on connection: PostgresConnection, server: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let outcome = Outcome<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                outcome.wait(continuation)
                let work = Task {
                    do { outcome.finish(.success(try await body(connection))) } catch { outcome.finish(.failure(error)) }
                }
                // The connection is looked at while the work goes on, rather than told through its
                // closeFuture: a pooled connection lives long, and a callback per piece of work
                // would pile up on it until it closed.
                let watch = Task {
                    while !Task.isCancelled {
                        try await Task.sleep(for: grace)
                        guard connection.isClosed else { continue }
                        try await Task.sleep(for: grace)
                        outcome.finish(.failure(ConnectionClosed(server: server)))
                        return
                    }
                }
                outcome.onAbandon {
                    work.cancel()
                    watch.cancel()
                }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    /// The first of the work's end, the connection's close and the caller's cancellation resumes
    /// the caller; the others find it resumed.
    final class Outcome<Result: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, any Error>?
            var early: Swift.Result<Result, any Error>?
            var abandon: (@Sendable () -> Void)?
            var done = false
        }

        private let state = Mutex(State())

        func wait(_ continuation: CheckedContinuation<Result, any Error>) {
            let early: Swift.Result<Result, any Error>? = state.withLock { state in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func onAbandon(_ abandon: @escaping @Sendable () -> Void) {
            let finished = state.withLock { state in
                if state.done { return true }
                state.abandon = abandon
                return false
            }
            if finished { abandon() }
        }

        func finish(_ result: Swift.Result<Result, any Error>) {
            let (continuation, abandon): (CheckedContinuation<Result, any Error>?, (@Sendable () -> Void)?) = state.withLock { state in
                guard !state.done else { return (nil, nil) }
                state.done = true
                defer { state.continuation = nil; state.abandon = nil }
                if state.continuation == nil { state.early = result }
                return (state.continuation, state.abandon)
            }
            continuation?.resume(with: result)
            abandon?()
        }
    }
}

/// The connection closed while work on it went on.
struct ConnectionClosed: Error, CustomStringConvertible {
    var server: String
    var description: String { "the connection to \(server) closed." }
}
