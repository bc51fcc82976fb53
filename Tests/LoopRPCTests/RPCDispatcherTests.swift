import Foundation
import LoopRPC
import Testing

private struct EchoParams: Codable, Sendable {
    var word: String
    var count: Int?
}

@Suite struct RPCDispatcherTests {
    let dispatcher: RPCDispatcher = {
        var dispatcher = RPCDispatcher()
        dispatcher.register("echo") { params, _ in try params.decode(EchoParams.self) }
        dispatcher.register("fail") { _, _ in throw RPCError(.noSuchFile, "No such file: nothing here.") }
        return dispatcher
    }()

    func reply(_ text: String) async throws -> [String: Any] {
        let data = try #require(await dispatcher.handle(message: Data(text.utf8), context: RPCContext()))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func errorCode(_ text: String) async throws -> Int? {
        (try await reply(text)["error"] as? [String: Any])?["code"] as? Int
    }

    @Test func answersWithTheSameId() async throws {
        let answer = try await reply(#"{"jsonrpc":"2.0","id":"abc","method":"echo","params":{"word":"kick"}}"#)
        #expect(answer["id"] as? String == "abc")
        #expect((answer["result"] as? [String: Any])?["word"] as? String == "kick")
        #expect(answer["jsonrpc"] as? String == "2.0")
    }

    @Test func specErrorCodes() async throws {
        #expect(try await errorCode("{nope") == -32700)
        #expect(try await reply("{nope")["id"] is NSNull)
        #expect(try await errorCode("[]") == -32600)
        #expect(try await errorCode("42") == -32600)
        #expect(try await errorCode(#"{"id":1,"method":"echo"}"#) == -32600)
        #expect(try await errorCode(#"{"jsonrpc":"2.0","id":1,"method":7}"#) == -32600)
        #expect(try await errorCode(#"{"jsonrpc":"2.0","id":true,"method":"echo"}"#) == -32600)
        #expect(try await errorCode(#"{"jsonrpc":"2.0","id":1,"method":"nope"}"#) == -32601)
        #expect(try await errorCode(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"word":3}}"#) == -32602)
        #expect(try await errorCode(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":"x"}"#) == -32600)
        #expect(try await errorCode(#"{"jsonrpc":"2.0","id":1,"method":"fail"}"#) == -32001)
    }

    @Test func invalidParamsNameTheField() async throws {
        let answer = try await reply(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":{"word":"a","count":"two"}}"#)
        let message = try #require((answer["error"] as? [String: Any])?["message"] as? String)
        #expect(message == "Invalid params: 'count' must be an integer.")
    }

    @Test func notificationsGetNoReply() async {
        let none = await dispatcher.handle(message: Data(#"{"jsonrpc":"2.0","method":"echo","params":{"word":"x"}}"#.utf8), context: RPCContext())
        #expect(none == nil)
        let unknown = await dispatcher.handle(message: Data(#"{"jsonrpc":"2.0","method":"nope"}"#.utf8), context: RPCContext())
        #expect(unknown == nil)
    }

    @Test func batchesAnswerEachRequest() async throws {
        let batch = #"[{"jsonrpc":"2.0","id":1,"method":"echo","params":{"word":"a"}},{"jsonrpc":"2.0","method":"echo","params":{"word":"b"}},{"jsonrpc":"2.0","id":3,"method":"nope"},5]"#
        let data = try #require(await dispatcher.handle(message: Data(batch.utf8), context: RPCContext()))
        let replies = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(replies.count == 3)
        #expect(replies.compactMap { $0["id"] as? Int }.sorted() == [1, 3])
        #expect(replies.contains { ($0["error"] as? [String: Any])?["code"] as? Int == -32600 })
        let onlyNotifications = #"[{"jsonrpc":"2.0","method":"echo","params":{"word":"a"}}]"#
        #expect(await dispatcher.handle(message: Data(onlyNotifications.utf8), context: RPCContext()) == nil)
    }
}
