#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix

/// Serves newline-delimited JSON-RPC 2.0 on a Unix stream socket.
///
/// Each connection is read in order, one message per line; a bad message
/// gets an error reply and the connection stays open, except for a line over
/// `maxLineBytes`, after which the connection is closed.
public struct RPCServer: Sendable {
    public static let defaultMaxLineBytes = 1 << 20

    private let dispatcher: RPCDispatcher
    private let maxLineBytes: Int

    public init(dispatcher: RPCDispatcher, maxLineBytes: Int = RPCServer.defaultMaxLineBytes) {
        self.dispatcher = dispatcher
        self.maxLineBytes = maxLineBytes
    }

    /// Binds `path` (refusing if a live daemon already answers there,
    /// replacing a stale socket file), sets its mode, calls `onListening`,
    /// and serves until the task is cancelled. The socket file is removed on return.
    public func run(socketPath path: String, mode: UInt16, onListening: @Sendable () -> Void) async throws {
        try Self.prepare(path)
        let maxLineBytes = self.maxLineBytes
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .bind(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: maxLineBytes)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw RPCServerError.cannotBind(path: path, reason: "\(error)")
        }
        defer { unlink(path) }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw RPCServerError.cannotBind(path: path, reason: "cannot set mode \(String(mode, radix: 8)): \(String(cString: strerror(errno)))")
        }
        onListening()
        do {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } catch is CancellationError {
            // Cancellation is how the daemon asks the server to stop.
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let context = RPCContext()
        try? await connection.executeThenClose { inbound, outbound in
            do {
                for try await line in inbound {
                    let message = Data(line.readableBytesView)
                    if message.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    guard let reply = await dispatcher.handle(message: message, context: context) else { continue }
                    var buffer = ByteBuffer(bytes: reply)
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    try await outbound.write(buffer)
                }
            } catch is LineFrameDecoder.LineTooLong {
                let error = RPCError(.requestTooLarge, "Request too large: a message line may be at most \(maxLineBytes) bytes.")
                var buffer = ByteBuffer(string: RPCDispatcher.errorReply(id: .null, error))
                buffer.writeInteger(UInt8(ascii: "\n"))
                try await outbound.write(buffer)
            }
        }
    }

    /// Throws `alreadyServing` when a live daemon answers on `path`, so a
    /// caller can refuse before doing any other work.
    public static func checkAvailable(socketPath path: String) throws(RPCServerError) {
        if (try? UnixSocket.connect(path: path)).map({ fd in close(fd); return true }) == true {
            throw .alreadyServing(path: path)
        }
    }

    /// Refuses to take over a live socket; removes a stale one; creates the parent folder.
    private static func prepare(_ path: String) throws {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        guard FileManager.default.fileExists(atPath: path) else { return }
        try checkAvailable(socketPath: path)
        unlink(path)
    }
}
