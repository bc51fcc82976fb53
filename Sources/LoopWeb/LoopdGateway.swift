import DequeModule
import LoopAPI
import LoopRPC
import LoopRPCNIO
import Synchronization

/// loopd, reached over its Unix socket on the event loops (`AsyncRPCConnection`): a call waits
/// for loopd without holding a thread, so slow calls never queue the fast ones behind a small
/// thread pool. Each call opens its own connection (a fraction of a millisecond); at most
/// `maxCalls` are open at once, since loopd counts connections per user and the event streams
/// need theirs.
public struct LoopdGateway: Sendable {
    public let socketPath: String
    let slots: CallSlots

    /// Calls in flight at once; more wait their turn, in order.
    public static let maxCalls = 48

    public init(socketPath: String) {
        self.socketPath = socketPath
        slots = CallSlots(Self.maxCalls)
    }

    /// Calls `method`; with an account, on its behalf (loopd then applies the account's role,
    /// read permission, favourites and collections, and records its changes).
    public func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params, for account: Account? = nil) async throws -> Result {
        await slots.acquire()
        defer { slots.release() }
        let name = account?.name
        return try await AsyncRPCConnection.with(socketPath: socketPath) { connection in
            try await connection.call(method, params, onBehalfOf: name)
        }
    }
}

/// A counting semaphore for async callers, served first come, first served.
final class CallSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: Deque<CheckedContinuation<Void, Never>> = []
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: count))
    }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let next = state.waiting.popFirst() { return next }
            state.free += 1
            return nil
        }
        next?.resume()
    }
}
