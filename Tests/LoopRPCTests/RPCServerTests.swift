#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore
import LoopRPC
import LoopRPCNIO
import LoopTestSupport
import Testing

private struct Word: Codable, Sendable, Equatable {
    var word: String
}

/// A real server on a real Unix socket, driven by the real client.
@Suite(.serialized) struct RPCServerTests {
    let folder = TemporaryDirectory("rpc")
    var socket: String { folder.path + "/s.sock" }

    func withServer(limits: RequestLimits = RequestLimits(), _ body: @Sendable () async throws -> Void) async throws {
        var dispatcher = RPCDispatcher()
        dispatcher.register("echo") { params, _ in try params.decode(Word.self) }
        let server = RPCServer(dispatcher: dispatcher, limits: limits)
        let (listening, signal) = AsyncStream<Void>.makeStream()
        let socket = self.socket
        let task = Task {
            defer { signal.finish() }
            try await server.run(socketPath: socket, mode: 0o600) { signal.yield() }
        }
        var events = listening.makeAsyncIterator()
        #expect(await events.next() != nil, "the server starts listening")
        defer { server.stop() }
        try await body()
        server.stop()
        try await task.value
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed on stop")
    }

    @Test func servesCallsWithTheRequestedMode() async throws {
        let socket = self.socket
        try await withServer {
            let answer: Word = try await offPool { try RPCClient(socketPath: socket).call("echo", params: Word(word: "snare")) }
            #expect(answer.word == "snare")
            var info = stat()
            #expect(stat(socket, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
        }
    }

    @Test func garbageDoesNotSpoilTheConnectionOrOthers() async throws {
        let socket = self.socket
        try await withServer {
            let (garbage, answer, again) = try await offPool {
                let rude = try RPCClient(socketPath: socket)
                let polite = try RPCClient(socketPath: socket)
                let garbage = try rude.exchange(Data("\u{1}\u{2}garbage{".utf8))
                let answer: Word = try polite.call("echo", params: Word(word: "a"))
                let again: Word = try rude.call("echo", params: Word(word: "b"))
                return (garbage, answer, again)
            }
            #expect(String(decoding: garbage, as: UTF8.self).contains("-32700"))
            #expect(answer.word == "a")
            #expect(again.word == "b")
        }
    }

    @Test func overlongLinesAreRefused() async throws {
        let socket = self.socket
        var limits = RequestLimits()
        limits.lineBytes = 1024
        try await withServer(limits: limits) {
            let (reply, answer) = try await offPool {
                let reply = try RPCClient(socketPath: socket).exchange(Data(String(repeating: "x", count: 5000).utf8))
                let answer: Word = try RPCClient(socketPath: socket).call("echo", params: Word(word: "ok"))
                return (reply, answer)
            }
            #expect(String(decoding: reply, as: UTF8.self).contains("-32004"))
            #expect(answer.word == "ok")
        }
    }

    /// A batch line is bounded in calls and in the bytes of its replies; a client holds
    /// a bounded number of connections. Each refusal is an error line with a stable code.
    @Test func batchesRepliesAndConnectionsAreBounded() async throws {
        let socket = self.socket
        var limits = RequestLimits()
        limits.batchCalls = 10
        limits.replyBytes = 200
        limits.connectionsPerUser = 3
        try await withServer(limits: limits) {
            let call: @Sendable (Int) -> String = { n in #"{"jsonrpc":"2.0","id":\#(n),"method":"echo","params":{"word":"\#(String(repeating: "w", count: 40))"}}"# }
            let (tooMany, budgeted, refused, stillServed) = try await offPool {
                let client = try RPCClient(socketPath: socket)
                let tooMany = try client.exchange(Data(("[" + (0..<11).map(call).joined(separator: ",") + "]").utf8))
                let budgeted = try client.exchange(Data(("[" + (0..<10).map(call).joined(separator: ",") + "]").utf8))
                // This client already holds one; two more reach the limit of three, a fourth is refused.
                let held = try (0..<2).map { _ in try RPCClient(socketPath: socket) }
                for other in held { _ = try other.exchange(Data(call(1).utf8)) }
                let refused = try RPCClient(socketPath: socket).exchange(Data(call(1).utf8))
                // The connections it holds are still served.
                let stillServed = try client.exchange(Data(call(7).utf8))
                return (tooMany, budgeted, refused, stillServed)
            }
            #expect(String(decoding: tooMany, as: UTF8.self).contains("-32004"), "a batch of 11 is refused whole")
            let replies = try #require(try JSONSerialization.jsonObject(with: budgeted) as? [[String: Any]])
            #expect(replies.count == 10, "every call of the batch is answered")
            let answered = replies.filter { $0["result"] != nil }.count
            let refusedForSize = replies.filter { ($0["error"] as? [String: Any])?["code"] as? Int == -32012 }.count
            #expect(answered >= 1 && answered < 10 && answered + refusedForSize == 10, "the replies stop at 200 bytes: \(answered) answered")
            #expect(String(decoding: refused, as: UTF8.self).contains("-32011"), "\(String(decoding: refused, as: UTF8.self))")
            #expect(String(decoding: stillServed, as: UTF8.self).contains("\"result\""))
        }
    }

    @Test func aLiveSocketIsNotTakenOver() async throws {
        let socket = self.socket
        try await withServer {
            let second = RPCServer(dispatcher: RPCDispatcher())
            await #expect(throws: RPCServerError.alreadyServing(path: socket)) {
                try await second.run(socketPath: socket, mode: 0o600) {}
            }
            let answer: Word = try await offPool { try RPCClient(socketPath: socket).call("echo", params: Word(word: "still here")) }
            #expect(answer.word == "still here")
        }
    }

    @Test func aStaleSocketFileIsReplaced() async throws {
        // A socket file left by a crashed daemon: bound, then its process gone.
        let fd = socket_stale(path: socket)
        close(fd)
        #expect(FileManager.default.fileExists(atPath: socket))
        let socket = self.socket
        try await withServer {
            let answer: Word = try await offPool { try RPCClient(socketPath: socket).call("echo", params: Word(word: "fresh")) }
            #expect(answer.word == "fresh")
        }
    }

    @Test func stopClosesIdleConnections() async throws {
        let socket = self.socket
        let holder = Collector<RPCClientBox>()
        try await withServer {
            // A client that connected and stays silent must not keep the server alive.
            let box = try await offPool { RPCClientBox(try RPCClient(socketPath: socket)) }
            let answer: Word = try await offPool { try box.client.call("echo", params: Word(word: "hi")) }
            #expect(answer.word == "hi")
            holder.append(box)
        }
        let box = try #require(holder.all.first)
        await #expect(throws: RPCClientError.self) {
            try await offPool { try box.client.call("echo", params: Word(word: "late"), as: Word.self) }
        }
    }

    @Test func clientExplainsAMissingDaemon() {
        #expect(throws: RPCClientError.notRunning(path: socket)) { try RPCClient(socketPath: socket) }
    }
}

/// Carries a client across threads in a test; only one thread uses it at a time.
private final class RPCClientBox: @unchecked Sendable {
    let client: RPCClient
    init(_ client: RPCClient) { self.client = client }
}

/// Binds a Unix socket at `path` without listening, leaving the file behind when closed.
private func socket_stale(path: String) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    _ = UnixSocketAddress(path: path)?.withSockaddr { bind(fd, $0, $1) }
    return fd
}
