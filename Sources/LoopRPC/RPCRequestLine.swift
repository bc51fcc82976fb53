import Foundation
import LoopCore

/// A request line and the reading of its reply, shared by the socket clients and loopctl's HTTP one.
public enum RPCRequestLine {
    public static func make(id: Int64, method: String, params: (any Encodable)?, onBehalfOf: String?) throws(RPCClientError) -> Data {
        var request = "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\(JSONLiteral.string(method))"
        if let onBehalfOf { request += ",\"onBehalfOf\":" + JSONLiteral.string(onBehalfOf) }
        if let params {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            guard let data = try? encoder.encode(params) else { throw .badReply(reason: "the params could not be encoded") }
            request += ",\"params\":" + String(decoding: data, as: UTF8.self)
        }
        return Data((request + "}").utf8)
    }

    public static func result<Result: Decodable>(of reply: Data, as type: Result.Type) throws(RPCClientError) -> Result {
        let envelope: ReplyEnvelope<Result>
        do {
            envelope = try JSONDecoder().decode(ReplyEnvelope<Result>.self, from: reply)
        } catch {
            throw .badReply(reason: "\(error)")
        }
        if let error = envelope.error { throw .server(error) }
        guard let result = envelope.result else { throw .badReply(reason: "it has neither result nor error") }
        return result
    }
}

private struct ReplyEnvelope<Result: Decodable>: Decodable {
    var result: Result?
    var error: RPCError?
}
