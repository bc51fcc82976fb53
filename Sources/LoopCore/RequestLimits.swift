/// What one client may ask of loopd at once: every request's cost is bounded,
/// so no reader can take the daemon down or fill the machine's memory.
/// Set in the config's `[limits]` section.
public struct RequestLimits: Sendable, Equatable {
    /// Longest request line, in bytes; a longer one closes the connection.
    public var lineBytes = 1 << 20
    /// Calls in one JSON-RPC batch.
    public var batchCalls = 64
    /// Bytes of replies to one line (a call, or a whole batch); calls past it get an error instead.
    public var replyBytes = 64 << 20
    /// Open connections in all.
    public var connections = 1024
    /// Open connections from one Unix user.
    public var connectionsPerUser = 128
    /// Descriptors kept free for the database, the watcher and the analysis workers:
    /// connections are refused before they would eat into these.
    public var reservedDescriptors = 256

    public init() {}
}
