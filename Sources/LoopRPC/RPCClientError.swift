/// Why a call to loopd failed, as one sentence for the user.
public enum RPCClientError: Error, Equatable, CustomStringConvertible {
    case notRunning(path: String)
    case cannotConnect(path: String, reason: String)
    case connectionLost(reason: String)
    case badReply(reason: String)
    /// The daemon answered with a JSON-RPC error.
    case server(RPCError)
    /// A loopweb server (`loopctl --server`) could not be reached.
    case serverUnreachable(url: String, reason: String)
    /// A loopweb server refused the request before loopd saw it (no valid token, for one).
    case serverRefused(status: Int, detail: String)
    /// A loopweb server answered with something that is not what its API describes.
    case serverBadReply(url: String, reason: String)

    public var description: String {
        switch self {
        case let .notRunning(path):
            return "loopd is not running: nothing listens on \(path) (start it, or pass --socket / set LOOPD_SOCKET)."
        case let .cannotConnect(path, reason):
            return "Cannot connect to loopd at \(path): \(reason)."
        case let .connectionLost(reason):
            return "The connection to loopd was lost: \(reason)."
        case let .badReply(reason):
            return "loopd sent a reply that could not be read: \(reason)."
        case let .server(error):
            return error.message
        case let .serverUnreachable(url, reason):
            return "Cannot reach the server at \(url): \(reason)."
        case let .serverRefused(status, detail):
            return "The server refused (HTTP \(status)): \(detail)"
        case let .serverBadReply(url, reason):
            return "The server at \(url) sent an answer that could not be read: \(reason)."
        }
    }
}
