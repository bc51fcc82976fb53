import Foundation
import LoopCore

/// Who sent a request. Filled from the connection, never from the request.
public struct RPCContext: Sendable {
    /// The connecting process as the kernel reports it (SO_PEERCRED); nil when it could not be read.
    public var peer: PeerCredentials?
    /// False once the client has gone: the rest of its batch is not worth doing.
    public var isClientConnected: @Sendable () -> Bool
    /// The web account a request is made for (its `onBehalfOf` member), as the web service
    /// says; whether to believe it is the handler's decision, by the peer.
    public var onBehalfOf: String?
    /// Where a method that streams notifications (`subscribe`) leaves them; nil where the
    /// transport cannot carry them.
    public var push: RPCPushSlot?

    public init(peer: PeerCredentials? = nil, isClientConnected: @escaping @Sendable () -> Bool = { true }, push: RPCPushSlot? = nil) {
        self.peer = peer
        self.isClientConnected = isClientConnected
        self.push = push
    }
}

/// A Unix socket peer's process, user and group ids, as the kernel gives them.
public struct PeerCredentials: Sendable, Equatable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

/// Routes JSON-RPC 2.0 messages to method handlers and builds the replies.
///
/// Handles single requests, notifications (no reply) and batches (an array
/// of replies; nothing at all for a batch of notifications).
public struct RPCDispatcher: Sendable {
    public typealias Handler = @Sendable (RPCParams, RPCContext) async throws -> any Encodable & Sendable

    private var handlers: [String: Handler] = [:]
    /// Calls per batch and reply bytes per line.
    public var limits: RequestLimits

    public init(limits: RequestLimits = RequestLimits()) {
        self.limits = limits
    }

    public mutating func register(_ method: String, _ handler: @escaping Handler) {
        handlers[method] = handler
    }

    public var methods: [String] { handlers.keys.sorted() }

    /// Handles one message (one line); returns the reply line without its
    /// newline, or nil when nothing is to be sent back.
    public func handle(message: Data, context: RPCContext) async -> Data? {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: message, options: [.fragmentsAllowed])
        } catch {
            return Data(Self.errorReply(id: .null, RPCError(.parseError, "Parse error: the message is not valid JSON.")).utf8)
        }
        if let batch = parsed as? [Any] {
            guard !batch.isEmpty else {
                return Data(Self.errorReply(id: .null, RPCError(.invalidRequest, "Invalid request: a batch must not be empty.")).utf8)
            }
            guard batch.count <= limits.batchCalls else {
                return Data(Self.errorReply(id: .null, RPCError(.requestTooLarge, "Request too large: a batch may hold at most \(limits.batchCalls) calls; this one holds \(batch.count).")).utf8)
            }
            var replies: [String] = []
            var budget = limits.replyBytes
            for element in batch {
                // Work for a client that has gone is not done.
                guard context.isClientConnected() else { return nil }
                if let reply = await handle(element: element, context: context, budget: &budget) { replies.append(reply) }
            }
            return replies.isEmpty ? nil : Data(("[" + replies.joined(separator: ",") + "]").utf8)
        }
        var budget = limits.replyBytes
        return await handle(element: parsed, context: context, budget: &budget).map { Data($0.utf8) }
    }

    /// Handles one call; its reply is counted against `budget` (what the line's replies may
    /// still take), and a reply that would pass it, or any call once it is spent, gets an error.
    private func handle(element: Any, context: RPCContext, budget: inout Int) async -> String? {
        let tooLarge = RPCError(.replyTooLarge, "Reply too large: the replies to one request line may take at most \(limits.replyBytes) bytes; ask for less (a smaller batch, a limit or a cursor).")
        if budget <= 0 {
            let id = (element as? [String: Any]).flatMap { $0["id"] }.flatMap(ParsedRequest.parseID)
            return id.map { Self.errorReply(id: $0, tooLarge) }
        }
        guard let reply = await handle(element: element, context: context) else { return nil }
        budget -= reply.utf8.count
        guard budget >= 0 else {
            let id = (element as? [String: Any]).flatMap { $0["id"] }.flatMap(ParsedRequest.parseID) ?? .null
            return Self.errorReply(id: id, tooLarge)
        }
        return reply
    }

    private func handle(element: Any, context: RPCContext) async -> String? {
        let request: ParsedRequest
        switch ParsedRequest.parse(element) {
        case let .success(parsed): request = parsed
        case let .failure(failure): return Self.errorReply(id: failure.id, failure.error)
        }
        let id = request.id
        guard let handler = handlers[request.method] else {
            return id.map { Self.errorReply(id: $0, RPCError(.methodNotFound, "Method not found: '\(request.method)' is not a loopd method.")) }
        }
        do {
            var context = context
            context.onBehalfOf = request.onBehalfOf
            let result = try await handler(RPCParams(json: request.params), context)
            guard let id else { return nil }
            var reply = "{\"jsonrpc\":\"2.0\",\"id\":\(id.json),\"result\":"
            if let writable = result as? any JSONWritable {
                writable.writeJSON(to: &reply)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.withoutEscapingSlashes]
                reply += String(decoding: try encoder.encode(result), as: UTF8.self)
            }
            return reply + "}"
        } catch let error as RPCError {
            return id.map { Self.errorReply(id: $0, error) }
        } catch {
            return id.map { Self.errorReply(id: $0, RPCError(.internalError, "Internal error: \(error).")) }
        }
    }

    public static func errorReply(id: RPCID, _ error: RPCError) -> String {
        "{\"jsonrpc\":\"2.0\",\"id\":\(id.json),\"error\":{\"code\":\(error.code),\"message\":\(JSONLiteral.string(error.message))}}"
    }
}

/// A request object checked against the JSON-RPC 2.0 rules.
struct ParsedRequest {
    var id: RPCID?
    var method: String
    var params: Data?
    var onBehalfOf: String?

    struct Failure: Error {
        var id: RPCID
        var error: RPCError
    }

    static func parse(_ element: Any) -> Result<ParsedRequest, Failure> {
        guard let object = element as? [String: Any] else {
            return .failure(Failure(id: .null, error: RPCError(.invalidRequest, "Invalid request: expected a JSON object.")))
        }
        var id: RPCID?
        if let raw = object["id"] {
            guard let parsed = parseID(raw) else {
                return .failure(Failure(id: .null, error: RPCError(.invalidRequest, "Invalid request: 'id' must be a string, an integer or null.")))
            }
            id = parsed
        }
        guard object["jsonrpc"] as? String == "2.0" else {
            return .failure(Failure(id: id ?? .null, error: RPCError(.invalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\".")))
        }
        guard let method = object["method"] as? String else {
            return .failure(Failure(id: id ?? .null, error: RPCError(.invalidRequest, "Invalid request: 'method' must be a string.")))
        }
        var params: Data?
        if let raw = object["params"], !(raw is NSNull) {
            guard raw is [String: Any] || raw is [Any], let data = try? JSONSerialization.data(withJSONObject: raw) else {
                return .failure(Failure(id: id ?? .null, error: RPCError(.invalidRequest, "Invalid request: 'params' must be an object or an array.")))
            }
            params = data
        }
        var onBehalfOf: String?
        if let raw = object["onBehalfOf"], !(raw is NSNull) {
            guard let name = raw as? String else {
                return .failure(Failure(id: id ?? .null, error: RPCError(.invalidRequest, "Invalid request: 'onBehalfOf' must be an account name.")))
            }
            onBehalfOf = name
        }
        return .success(ParsedRequest(id: id, method: method, params: params, onBehalfOf: onBehalfOf))
    }

    static func parseID(_ raw: Any) -> RPCID? {
        if raw is NSNull { return .null }
        if let text = raw as? String { return .string(text) }
        if let number = raw as? NSNumber {
            // JSONSerialization gives booleans as NSNumber too; they are not ids.
            if String(cString: number.objCType) == "c" { return nil }
            let value = number.doubleValue
            guard value == value.rounded(), abs(value) < 9.0e15 else { return nil }
            return .number(number.int64Value)
        }
        return nil
    }
}
