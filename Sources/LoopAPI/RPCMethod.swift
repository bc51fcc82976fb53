/// A JSON-RPC method with the types of its params and its result. The server registers its
/// handler and the client calls it through the same value, so the two cannot disagree on
/// what a method takes or gives.
public struct RPCMethod<Params: Codable & Sendable, Result: Codable & Sendable>: Sendable {
    public let name: String

    public init(_ name: String) { self.name = name }
}

/// The params of a method that takes none (sent as `{}`; anything sent is ignored).
public struct NoParams: Codable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: NoKeys.self)
    }

    private enum NoKeys: CodingKey {}
}
