import Foundation

/// The `params` of a request, decoded on demand into the method's own type.
public struct RPCParams: Sendable {
    /// The params member as JSON, or nil when the request had none.
    public let json: Data?

    public init(json: Data?) {
        self.json = json
    }

    /// Decodes the params; a missing params member decodes as `{}`.
    public func decode<T: Decodable>(_ type: T.Type) throws(RPCError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: json ?? Data("{}".utf8))
        } catch let error as DecodingError {
            throw RPCError(.invalidParams, "Invalid params: \(Self.explain(error)).")
        } catch {
            throw RPCError(.invalidParams, "Invalid params: \(error).")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "params" : "'" + keys.joined(separator: ".") + "'"
        }
        switch error {
        case let .typeMismatch(type, context): return "\(path(context)) must be \(typeName(type))"
        case let .valueNotFound(type, context): return "\(path(context)) must be \(typeName(type)), not null"
        case let .keyNotFound(key, _): return "'\(key.stringValue)' is required"
        case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default: return "an object of the documented shape"
        }
    }
}
