import Hummingbird
import NIOCore
import LoopAPI

/// One request's context: who is asking, once their token or login is checked.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?
    /// The login session's token, when the request came with the session cookie (not a bearer token).
    public var sessionToken: String?
    /// The `X-CSRF-Token` this request's login asks for changes (a cookie's or a proxy's identity).
    public var csrfToken: String?
    /// The connection's peer address (a proxy's, behind one).
    public let peerAddress: String?
    /// The connection's event loop, which paces bodies written to it.
    public let eventLoop: any EventLoop

    public init(source: Source) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
        eventLoop = source.channel.eventLoop
    }
}
