import Dispatch
import Synchronization

/// Work started on another thread now, whose result is waited for later.
final class BackgroundResult<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global().async { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    /// Blocks until the work is done; returns its value or throws its error. Call once.
    func wait() throws -> Value {
        done.wait()
        guard let outcome = result.withLock({ $0 }) else { preconditionFailure("signalled before the result was set") }
        return try outcome.get()
    }
}
