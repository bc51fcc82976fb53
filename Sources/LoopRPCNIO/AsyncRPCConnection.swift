import Foundation
import LoopAPI
import LoopCore
import NIOCore
import NIOPosix
import Synchronization
import LoopRPC

/// One connection to loopd served on an event loop, for a process that must not block a thread
/// per connection (loopweb's event streams): calls, then the notifications that follow `subscribe`.
public struct AsyncRPCConnection: ~Copyable {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var nextID: Int64 = 1

    /// Closes a connection from outside the task that uses it (on shutdown), which ends its reads.
    public final class Closer: Sendable {
        private let state = Mutex<(channel: (any Channel)?, closed: Bool)>((nil, false))

        public init() {}

        public func close() {
            let channel = state.withLock { state in
                state.closed = true
                return state.channel
            }
            channel?.close(promise: nil)
        }

        fileprivate func register(_ channel: any Channel) {
            let closed = state.withLock { state in
                state.channel = channel
                return state.closed
            }
            if closed { channel.close(promise: nil) }
        }
    }

    /// Connects, runs `body` with the connection, and closes it. `maxLineBytes` bounds a reply
    /// line, which loopd lets grow to its reply budget (a collection of thousands of files is one
    /// reply), not to the request line's limit.
    public static func with<T: Sendable>(
        socketPath: String, maxLineBytes: Int = RequestLimits().replyBytes, closer: Closer? = nil, _ body: (inout AsyncRPCConnection) async throws -> T
    ) async throws -> T {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: maxLineBytes)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw RPCClientError.notRunning(path: socketPath)
        }
        closer?.register(channel.channel)
        return try await channel.executeThenClose { inbound, outbound in
            var connection = AsyncRPCConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    private init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Calls `method`, for a web account when `onBehalfOf` names one.
    public mutating func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params, onBehalfOf: String? = nil) async throws -> Result {
        let id = nextID
        nextID += 1
        var request = ByteBuffer(bytes: try RPCRequestLine.make(id: id, method: method.name, params: params, onBehalfOf: onBehalfOf))
        request.writeInteger(UInt8(ascii: "\n"))
        try await outbound.write(request)
        guard let reply = try await nextLine() else { throw RPCClientError.connectionLost(reason: "loopd closed the connection") }
        return try RPCRequestLine.result(of: reply, as: Result.self)
    }

    /// The next line loopd sends (a notification once subscribed); nil when it closed the connection.
    public mutating func nextLine() async throws -> Data? {
        guard let line = try await inbound.next() else { return nil }
        return Data(line.readableBytesView)
    }
}
