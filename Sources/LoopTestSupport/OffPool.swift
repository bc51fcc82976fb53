import Dispatch

/// Runs blocking work (socket reads, process waits) on a Dispatch thread, so
/// it never occupies one of the few threads Swift's cooperative pool has,
/// which the code under test may need to answer.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}
