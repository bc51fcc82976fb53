import Synchronization

/// The URL at which other servers' loopweb reach this one: given (`--peer-url`), or learnt once
/// the listener is bound (its port may be chosen then).
public final class PeerAddress: Sendable {
    private let value: Mutex<String?>

    public init(_ url: String? = nil) { value = Mutex(url) }

    public var url: String? { value.withLock { $0 } }

    public func set(_ url: String) { value.withLock { $0 = url } }
}
