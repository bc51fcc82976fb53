import Foundation
import LoopCore
import Synchronization

/// Where a handler leaves a stream of notifications for its connection: the server sends the
/// handler's reply first, then every line `next` gives (each without its newline) until it gives
/// nil or the client leaves. `next` is called only when the previous line is written, so a slow
/// reader slows the producer instead of filling memory.
public final class RPCPushSlot: Sendable {
    public typealias Next = @Sendable () async -> Data?

    private struct State {
        var pending: Next?
        var started = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Gives the connection its stream; false when it already has one (one per connection).
    public func start(_ next: @escaping Next) -> Bool {
        state.withLock { state in
            guard !state.started else { return false }
            state.started = true
            state.pending = next
            return true
        }
    }

    /// The stream a handler just started, for the server to run after the reply.
    package func takePending() -> Next? {
        state.withLock { state in
            defer { state.pending = nil }
            return state.pending
        }
    }

    /// A notification line: a JSON-RPC request without an id.
    public static func notification(_ method: String, _ params: some Encodable) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let body = try? encoder.encode(params) else { return nil }
        return Data("{\"jsonrpc\":\"2.0\",\"method\":\(JSONLiteral.string(method)),\"params\":".utf8) + body + Data("}".utf8)
    }
}
