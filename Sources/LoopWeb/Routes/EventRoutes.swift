import Foundation
import HTTPTypes
import Hummingbird
import LoopAPI
import LoopCore
import LoopRPC
import LoopRPCNIO
import ServiceLifecycle
import Synchronization

/// `GET /events`: the library's changes as Server-Sent Events, from a `subscribe` to loopd made for
/// the account (so it hears of the files it may read). Each event's id is loopd's sequence number:
/// a browser's `EventSource` sends it back as `Last-Event-ID` when it reconnects and misses nothing.
struct EventRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks
    let streams: EventStreamCount

    func add(to group: RouterGroup<WebContext>) {
        group.get("events") { request, context in try events(request, context) }
    }

    func events(_ request: Request, _ context: WebContext) throws -> Response {
        let after = try Self.resumePoint(request)
        guard let account = context.account else { throw APIError(.unauthorized, "Log in to follow the library's changes.") }
        guard streams.mayOpen(for: account.name) else {
            throw APIError(.tooManyRequests, "Too many event streams: an account may hold \(EventStreamCount.perAccount) open at once; close some.")
        }
        let (socketPath, base, streams) = (loopd.socketPath, links.base(of: request), streams)
        let body = ResponseBody { writer in
            // Counted while the body runs (a reply never sent leaves no count behind).
            guard streams.open(for: account.name) else {
                try await writer.write(ByteBuffer(string: "event: error\ndata: \"Too many event streams for this account.\"\n\n"))
                return try await writer.finish(nil)
            }
            defer { streams.close(for: account.name) }
            // An endless reply would hold up a graceful shutdown: closing loopd's side ends it.
            let closer = AsyncRPCConnection.Closer()
            try? await withGracefulShutdownHandler {
                try await Self.relay(socketPath: socketPath, account: account.name, after: after, base: base, closer: closer, to: &writer)
            } onGracefulShutdown: {
                closer.close()
            }
            try await writer.finish(nil)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        // nginx would otherwise hold events back to fill its buffers.
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `Last-Event-ID` (what a reconnecting EventSource sends), else `?after=`, else from now on.
    static func resumePoint(_ request: Request) throws -> Int64? {
        guard let text = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("after") else { return nil }
        guard let value = Int64(text), value >= 0 else { throw APIError(.badRequest, "Last-Event-ID (or ?after=) must be a change's sequence number.") }
        return value
    }

    private static func relay(
        socketPath: String, account: String, after: Int64?, base: String, closer: AsyncRPCConnection.Closer, to writer: inout any ResponseBodyWriter
    ) async throws {
        try await AsyncRPCConnection.with(socketPath: socketPath, closer: closer) { connection in
            let reply: SubscribeReply
            do {
                reply = try await connection.call(LoopMethod.subscribe, SubscribeRequest(after: after), onBehalfOf: account)
            } catch {
                try await writer.write(ByteBuffer(string: "event: error\ndata: " + JSONLiteral.string("\(error)") + "\n\n"))
                return
            }
            // A client reconnects after 3 s; told to load afresh when its changes are no longer kept.
            var opening = "retry: 3000\n\n"
            if !reply.resumed { opening += resync(reply.sequence) }
            try await writer.write(ByteBuffer(string: opening))
            while let line = try await connection.nextLine() {
                var text = ""
                switch LibraryNotification.message(from: line) {
                case let .changed(changes):
                    for change in changes { write(change, base: base, to: &text) }
                case let .resync(sequence):
                    text = resync(sequence)
                case .idle, nil:
                    // A comment: keeps proxies from closing an idle stream.
                    text = ": idle\n\n"
                }
                try await writer.write(ByteBuffer(string: text))
            }
        }
    }

    /// The event that tells a client to load afresh, then follow from `sequence`.
    static func resync(_ sequence: Int64) -> String {
        "id: \(sequence)\nevent: resync\ndata: {\"sequence\":\(sequence)}\n\n"
    }

    /// One change as an event named by its kind; the sound is named by id and URL, never by path.
    static func write(_ change: LibraryChange, base: String, to text: inout String) {
        text += "id: \(change.sequence)\nevent: \(change.kind.rawValue)\ndata: {\"sequence\":\(change.sequence),\"kind\":\"\(change.kind.rawValue)\",\"id\":\(change.id)"
        if change.kind != .removed { text += ",\"url\":" + JSONLiteral.string(base + "/sounds/\(change.id)") }
        text += "}\n\n"
    }
}

/// Open event streams per account: each holds a connection to loopd, so one account may not hold many.
final class EventStreamCount: Sendable {
    static let perAccount = 16
    private let open = Mutex<[String: Int]>([:])

    func mayOpen(for account: String) -> Bool {
        open.withLock { $0[account, default: 0] < Self.perAccount }
    }

    func open(for account: String) -> Bool {
        open.withLock { open in
            guard open[account, default: 0] < Self.perAccount else { return false }
            open[account, default: 0] += 1
            return true
        }
    }

    func close(for account: String) {
        open.withLock { open in
            open[account, default: 1] -= 1
            if open[account] == 0 { open[account] = nil }
        }
    }
}
