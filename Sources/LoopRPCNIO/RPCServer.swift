#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix
import LoopCore
import Synchronization
import LoopRPC

/// Serves newline-delimited JSON-RPC 2.0 on a Unix stream socket.
///
/// Each connection is read in order, one message per line; a bad message
/// gets an error reply and the connection stays open, except for a line over
/// `RequestLimits.lineBytes`, after which the connection is closed.
///
/// `stop()` ends `run`: it closes the listening socket (connections already
/// accepted are still served, then closed), closes idle connections, and lets
/// a connection busy with a request send its reply before closing. Task
/// cancellation is not used for this, since it would drop accepted
/// connections without closing them.
///
/// Connections are counted in all and per Unix user (`RequestLimits`); one past
/// either limit gets a `tooManyConnections` error line and is closed, so one
/// client cannot use up the descriptors the database and the workers need.
public final class RPCServer: Sendable {
    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Open connections by the peer's uid (once its credentials are known).
        var perUser: [UInt32: Int] = [:]
        /// Connections handling a request right now.
        var busy: Set<ObjectIdentifier> = []
        var stopping = false
    }

    private let dispatcher: RPCDispatcher
    private let limits: RequestLimits
    /// The most connections served at once: the configured limit, lowered so that
    /// `reservedDescriptors` stay free under the process's descriptor limit.
    public let maxConnections: Int
    private let state = Mutex(State())

    public init(dispatcher: RPCDispatcher, limits: RequestLimits = RequestLimits()) {
        var dispatcher = dispatcher
        dispatcher.limits = limits
        self.dispatcher = dispatcher
        self.limits = limits
        var descriptors = rlimit()
        let ceiling = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &descriptors) == 0 && descriptors.rlim_cur < rlim_t(Int32.max)
            ? Int(descriptors.rlim_cur) - limits.reservedDescriptors : Int.max
        maxConnections = max(1, min(limits.connections, ceiling))
    }

    /// Raises the soft descriptor limit to the hard one (systemd's default soft
    /// limit is 1,024 for compatibility with select(); loopd uses epoll).
    public static func raiseDescriptorLimit() {
        var descriptors = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &descriptors) == 0, descriptors.rlim_cur < descriptors.rlim_max else { return }
        descriptors.rlim_cur = descriptors.rlim_max
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &descriptors)
    }

    /// Binds `path` (refusing if a live daemon already answers there,
    /// replacing a stale socket file), sets its mode, calls `onListening`,
    /// and serves until `stop()`. The socket file is removed on return.
    public func run(socketPath path: String, mode: UInt16, onListening: @Sendable () -> Void) async throws {
        try Self.prepare(path)
        let server: Listener
        do {
            server = try await bootstrap().bind(unixDomainSocketPath: path) { [self] channel in accept(channel) }
        } catch {
            throw RPCServerError.cannotBind(path: path, reason: "\(error)")
        }
        defer { unlink(path) }
        guard chmod(path, mode_t(mode)) == 0 else {
            server.channel.close(promise: nil)
            throw RPCServerError.cannotBind(path: path, reason: "cannot set mode \(String(mode, radix: 8)): \(String(cString: strerror(errno)))")
        }
        try await serve(server, onListening: onListening)
    }

    /// Serves on a listening socket someone else bound (systemd's socket
    /// activation) until `stop()`. The socket's file, mode and lifetime stay
    /// its owner's business.
    public func run(inheritedSocket descriptor: Int32, onListening: @Sendable () -> Void) async throws {
        let server: Listener
        do {
            server = try await bootstrap().bind(descriptor) { [self] channel in accept(channel) }
        } catch {
            throw RPCServerError.cannotBind(path: "descriptor \(descriptor)", reason: "\(error)")
        }
        try await serve(server, onListening: onListening)
    }

    private typealias Listener = NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

    private func bootstrap() -> ServerBootstrap {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).serverChannelOption(.backlog, value: 256)
    }

    private func accept(_ channel: any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> {
        let maxLineBytes = limits.lineBytes
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLength: maxLineBytes)))
            track(channel)
            return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
        }
    }

    private func serve(_ server: Listener, onListening: @Sendable () -> Void) async throws {
        let stopAlready = state.withLock { state -> Bool in
            state.listener = server.channel
            return state.stopping
        }
        if stopAlready { server.channel.close(promise: nil) }
        onListening()
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await self.serve(connection) }
                }
            }
        }
    }

    /// Stops accepting, closes open connections, and makes `run` return.
    public func stop() {
        let channels = state.withLock { state -> [any Channel] in
            state.stopping = true
            let idle = state.connections.filter { !state.busy.contains($0.key) }.map(\.value)
            return (state.listener.map { [$0] } ?? []) + idle
        }
        for channel in channels { channel.close(promise: nil) }
    }

    private func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let stopping = state.withLock { state -> Bool in
            state.connections[id] = channel
            return state.stopping
        }
        if stopping { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { [self] _ in
            state.withLock { state in
                state.connections[id] = nil
                state.busy.remove(id)
            }
        }
    }

    /// Counts the connection against its user and the total; returns why it is refused, if it is.
    private func admit(_ id: ObjectIdentifier, uid: UInt32?) -> String? {
        state.withLock { state -> String? in
            if state.connections.count > maxConnections {
                return "Too many connections: loopd serves at most \(maxConnections) at once; try again later."
            }
            guard let uid else { return nil }
            // Per uid: one user holding many connections leaves the others (root among them) theirs.
            if state.perUser[uid, default: 0] >= limits.connectionsPerUser {
                return "Too many connections: one user may hold at most \(limits.connectionsPerUser) open at once; close some and try again."
            }
            state.perUser[uid, default: 0] += 1
            return nil
        }
    }

    private func release(uid: UInt32?) {
        guard let uid else { return }
        state.withLock { state in
            state.perUser[uid, default: 1] -= 1
            if state.perUser[uid] == 0 { state.perUser[uid] = nil }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let channel = connection.channel
        let peer = await Self.peerCredentials(of: channel)
        let push = RPCPushSlot()
        let context = RPCContext(peer: peer, isClientConnected: { channel.isActive }, push: push)
        let maxLineBytes = limits.lineBytes
        let id = ObjectIdentifier(channel)
        if let refusal = admit(id, uid: peer?.uid) {
            try? await connection.executeThenClose { _, outbound in
                var buffer = ByteBuffer(string: RPCDispatcher.errorReply(id: .null, RPCError(.tooManyConnections, refusal)))
                buffer.writeInteger(UInt8(ascii: "\n"))
                try await outbound.write(buffer)
            }
            return
        }
        defer { release(uid: peer?.uid) }
        try? await connection.executeThenClose { inbound, outbound in
            // A subscription's notifications are written by a second task beside the request loop;
            // it ends when the client leaves (the loop ends and the group is cancelled).
            try await withThrowingTaskGroup(of: Void.self) { streams in
                defer { streams.cancelAll() }
                do {
                    for try await line in inbound {
                        // A client that sent lines and left is owed no work.
                        guard channel.isActive else { break }
                        let message = Data(line.readableBytesView)
                        if message.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                        state.withLock { _ = $0.busy.insert(id) }
                        if let reply = await dispatcher.handle(message: message, context: context) {
                            try await outbound.write(Self.line(reply))
                        }
                        if let next = push.takePending() {
                            streams.addTask {
                                while let notification = await next() { try await outbound.write(Self.line(notification)) }
                            }
                        }
                        let stopping = state.withLock { state -> Bool in
                            state.busy.remove(id)
                            return state.stopping
                        }
                        // Stopping: the reply is out, so this connection can close now.
                        if stopping { break }
                    }
                } catch is LineFrameDecoder.LineTooLong {
                    let error = RPCError(.requestTooLarge, "Request too large: a message line may be at most \(maxLineBytes) bytes.")
                    try await outbound.write(Self.line(Data(RPCDispatcher.errorReply(id: .null, error).utf8)))
                }
            }
        }
    }

    private static func line(_ data: Data) -> ByteBuffer {
        var buffer = ByteBuffer(bytes: data)
        buffer.writeInteger(UInt8(ascii: "\n"))
        return buffer
    }

    /// Who is on the other end, from the kernel (SO_PEERCRED): requests cannot claim to be someone else.
    private static func peerCredentials(of channel: any Channel) async -> PeerCredentials? {
        guard let provider = channel as? any SocketOptionProvider else { return nil }
        let future: EventLoopFuture<RawPeerCredentials> = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        guard let credentials = try? await future.get() else { return nil }
        return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
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

/// Linux's `struct ucred` (pid_t, uid_t, gid_t), which Glibc only declares under _GNU_SOURCE.
private struct RawPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
