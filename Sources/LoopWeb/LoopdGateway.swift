import LoopAPI
import LoopRPC
import NIOPosix

/// loopd, reached over its Unix socket. The client blocks, so each call runs on the thread
/// pool, never on an event loop; each opens its own connection (a fraction of a millisecond).
public struct LoopdGateway: Sendable {
    public let socketPath: String
    let threadPool: NIOThreadPool

    public init(socketPath: String, threadPool: NIOThreadPool = .singleton) {
        self.socketPath = socketPath
        self.threadPool = threadPool
    }

    /// Calls `method`; with an account, on its behalf (loopd then applies the account's role,
    /// read permission, favourites and collections, and records its changes).
    public func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params, for account: Account? = nil) async throws -> Result {
        let socketPath = socketPath
        let name = account?.name
        return try await threadPool.runIfActive {
            let client = try RPCClient(socketPath: socketPath)
            client.onBehalfOf = name
            return try client.call(method, params: params)
        }
    }
}
