import LoopRPC
/// Why the server could not start.
public enum RPCServerError: Error, Equatable, CustomStringConvertible {
    case alreadyServing(path: String)
    case cannotBind(path: String, reason: String)

    public var description: String {
        switch self {
        case let .alreadyServing(path):
            return "Another loopd is already serving \(path); stop it first or pass a different --socket."
        case let .cannotBind(path, reason):
            return "Cannot listen on \(path): \(reason)."
        }
    }
}
