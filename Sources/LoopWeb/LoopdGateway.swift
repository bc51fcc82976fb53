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

    public func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params) async throws -> Result {
        let socketPath = socketPath
        return try await threadPool.runIfActive { try RPCClient(socketPath: socketPath).call(method, params: params) }
    }
}
