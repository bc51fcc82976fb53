import LoopAPI

// The typed face of the transport: loopd registers and its clients call each method through
// its `RPCMethod`, so both use the types `LoopMethod` gives it.

extension RPCDispatcher {
    /// Registers the handler of `method`; its params are decoded (a bad shape is an
    /// invalid-params error) and its result encoded as the method says.
    public mutating func register<Params, Result>(
        _ method: RPCMethod<Params, Result>, _ handler: @escaping @Sendable (Params, RPCContext) async throws -> Result
    ) {
        register(method.name) { params, context in try await handler(params.decode(Params.self), context) }
    }
}

extension RPCClient {
    /// Calls `method` with `params` and decodes its result.
    public func call<Params, Result>(_ method: RPCMethod<Params, Result>, params: Params) throws(RPCClientError) -> Result {
        try call(method.name, params: params, as: Result.self)
    }

    /// Calls a method that takes no params.
    public func call<Result>(_ method: RPCMethod<NoParams, Result>) throws(RPCClientError) -> Result {
        try call(method.name, params: nil, as: Result.self)
    }
}
