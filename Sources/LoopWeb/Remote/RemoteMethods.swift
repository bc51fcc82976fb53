import Foundation
import LoopAPI
import LoopRPC

/// The loopd methods a remote client may call through `POST /api/v1/rpc`, each with its params
/// checked: files are named by id (or a query), never by a server path, and replies show paths
/// inside the library only. Everything else (accounts, the trash, backups, adds) has its own
/// route or stays on the server.
struct RemoteMethods: Sendable {
    typealias Call = @Sendable (_ body: Data, _ loopd: LoopdGateway, _ account: Account?) async throws -> Data

    let calls: [String: Call]

    init() {
        var calls: [String: Call] = [:]
        func allow<Params, Result: ServerPathsHidden>(_ method: RPCMethod<Params, Result>, check: @escaping @Sendable (Params) throws(RemoteCallError) -> Void = { _ throws(RemoteCallError) in }) {
            calls[method.name] = { body, loopd, account in
                let params: Params
                do {
                    params = try JSONDecoder().decode(RemoteCallBody<Params>.self, from: body).params
                } catch {
                    throw RemoteCallError(.invalidParams, "The params of \(method.name) are not what it takes: \(error).")
                }
                try check(params)
                let result = try await loopd.call(method, params, for: account)
                return try JSONEncoder().encode(result.hidingServerPaths())
            }
        }
        allow(LoopMethod.find)
        allow(LoopMethod.similar) { request throws(RemoteCallError) in
            if request.path != nil { throw .pathGiven }
        }
        allow(LoopMethod.get) { reference throws(RemoteCallError) in
            if reference.path != nil || reference.id == nil { throw .pathGiven }
        }
        allow(LoopMethod.tag) { request throws(RemoteCallError) in
            if request.folder != nil { throw RemoteCallError(.invalidParams, "Folders are tagged on the server, not over the network.") }
            try Self.check(request.files)
        }
        allow(LoopMethod.favourite) { request throws(RemoteCallError) in try Self.check(request.files) }
        allow(LoopMethod.collections)
        allow(LoopMethod.collectionCreate) { request throws(RemoteCallError) in try Self.check(request.files) }
        allow(LoopMethod.collectionDelete)
        allow(LoopMethod.collectionAdd) { request throws(RemoteCallError) in try Self.check(request.files) }
        allow(LoopMethod.collectionRemove) { request throws(RemoteCallError) in try Self.check(request.files) }
        allow(LoopMethod.collectionShare)
        allow(LoopMethod.collectionMove) { request throws(RemoteCallError) in try Self.check(request.files) }
        allow(LoopMethod.collectionShow)
        self.calls = calls
    }

    private static func check(_ selection: FileSelection?) throws(RemoteCallError) {
        if let paths = selection?.paths, !paths.isEmpty { throw .pathGiven }
    }
}

/// A call's params, the only part of the request decoded per method.
private struct RemoteCallBody<Params: Decodable>: Decodable {
    var params: Params

    enum CodingKeys: CodingKey { case params }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A method without params may leave them out, as JSON-RPC allows.
        if let none = NoParams() as? Params, !container.contains(.params) {
            params = none
        } else {
            params = try container.decode(Params.self, forKey: .params)
        }
    }
}

/// A remote call refused before it reached loopd, as a JSON-RPC error.
struct RemoteCallError: Error {
    var code: RPCErrorCode
    var message: String

    init(_ code: RPCErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    static let pathGiven = RemoteCallError(.invalidParams, "Over the network, files are named by id or by a query, not by a path.")
}
