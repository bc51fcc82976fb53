import Foundation
import Hummingbird
import LoopAPI
import LoopCore
import LoopRPC

/// `POST /rpc`: one JSON-RPC 2.0 call of loopd's wire protocol, made for the logged-in account, so
/// `loopctl --server` runs the same commands with the same types as on the server's socket. Only
/// `RemoteMethods` pass; errors are JSON-RPC errors (HTTP 200), with loopd's codes.
struct RemoteCallRoutes: Sendable {
    let loopd: LoopdGateway
    let methods = RemoteMethods()

    /// A call's body: params of a search or a selection of ids stay far below this.
    static let maxBodyBytes = 256 * 1024

    func add(to group: RouterGroup<WebContext>) {
        group.post("rpc") { request, context in try await call(request, context) }
    }

    private struct Head: Decodable {
        var jsonrpc: String?
        var method: String?
        var id: RPCID?
    }

    func call(_ request: Request, _ context: WebContext) async throws -> Response {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError(.unsupportedMediaType, "Send the call as JSON (Content-Type: application/json).")
        }
        let body: Data
        do {
            body = Data(try await request.body.collect(upTo: Self.maxBodyBytes).readableBytesView)
        } catch {
            throw APIError(.contentTooLarge, "The call is too large: at most \(Self.maxBodyBytes) bytes.")
        }
        guard let head = try? JSONDecoder().decode(Head.self, from: body) else {
            return Self.reply(id: nil, error: RPCError(.parseError, "The body is not one JSON-RPC call (a batch is not taken here)."))
        }
        guard head.jsonrpc == "2.0", let name = head.method else {
            return Self.reply(id: head.id, error: RPCError(.invalidRequest, "A call needs \"jsonrpc\": \"2.0\" and a method."))
        }
        guard let method = methods.calls[name] else {
            return Self.reply(id: head.id, error: RPCError(.methodNotFound, "\(name) cannot be called over the network."))
        }
        do {
            let result = try await method(body, loopd, context.account)
            var text = Data("{\"jsonrpc\":\"2.0\",\"id\":\(head.id?.json ?? "null"),\"result\":".utf8)
            text += result
            text += Data("}".utf8)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: text)))
        } catch let error as RemoteCallError {
            return Self.reply(id: head.id, error: RPCError(error.code, error.message))
        } catch let RPCClientError.server(error) {
            return Self.reply(id: head.id, error: error)
        }
    }

    static func reply(id: RPCID?, error: RPCError) -> Response {
        let text = RPCDispatcher.errorReply(id: id ?? .null, error)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
