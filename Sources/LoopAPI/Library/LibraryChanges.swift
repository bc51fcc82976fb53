import Foundation

/// One change to the index, as `subscribe` sends it: numbered in the order loopd committed it, so a
/// client that reconnects asks for what came after the last number it saw.
public struct LibraryChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A new record, or one whose file came back (a root or device returned).
        case added
        /// New analysis or facts for the same file at the same path.
        case changed
        /// The same file under another path (`path` is the new one).
        case moved
        /// The file is gone or offline; its record is no longer searchable.
        case removed
    }

    public var sequence: Int64
    public var kind: Kind
    /// The record's id (`get` gives the rest).
    public var id: Int64
    /// Where the file is now; absent for `removed`, so that a name is told only to those who may read it.
    public var path: String?
    /// Seconds since 1970 when loopd committed it.
    public var at: Double

    public init(sequence: Int64, kind: Kind, id: Int64, path: String?, at: Double) {
        self.sequence = sequence
        self.kind = kind
        self.id = id
        self.path = path
        self.at = at
    }
}

/// `subscribe` params: `after` is the last sequence number the client saw; without it, only changes
/// from now on are sent.
public struct SubscribeRequest: Codable, Sendable, Equatable {
    public var after: Int64?

    public init(after: Int64? = nil) { self.after = after }
}

/// The reply to `subscribe`. After it the connection carries notifications (`LibraryNotification`).
public struct SubscribeReply: Codable, Sendable, Equatable {
    /// The last change committed when the subscription began.
    public var sequence: Int64
    /// False when changes after `after` are no longer kept (loopd keeps the latest
    /// `retainedChanges`): the client should load afresh, then follow from `sequence`.
    public var resumed: Bool

    public init(sequence: Int64, resumed: Bool) {
        self.sequence = sequence
        self.resumed = resumed
    }

    /// How many of the latest changes loopd keeps for clients that resume.
    public static let retainedChanges: Int64 = 100_000
}

/// The notifications a subscribed connection receives (JSON-RPC requests without an id).
public enum LibraryNotification {
    /// `params`: `{"changes": [LibraryChange]}`, in order, up to `batchLimit` per notification.
    public static let changed = "library.changed"
    /// `params`: `{"sequence": N}`; sent when nothing changed for `idleSeconds`, so a client
    /// (or a proxy between) knows the connection is alive.
    public static let idle = "library.idle"
    /// `params`: `{"sequence": N}`: the client fell so far behind that the changes it missed are no
    /// longer kept; it should load afresh, then follow from `N`.
    public static let resync = "library.resync"

    public static let batchLimit = 500
    public static let idleSeconds = 15

    public struct Changes: Codable, Sendable {
        public var changes: [LibraryChange]

        public init(changes: [LibraryChange]) { self.changes = changes }
    }

    public struct Sequence: Codable, Sendable {
        public var sequence: Int64

        public init(sequence: Int64) { self.sequence = sequence }
    }

    /// A notification line, read.
    public enum Message: Sendable, Equatable {
        case changed([LibraryChange])
        case idle(sequence: Int64)
        case resync(sequence: Int64)
    }

    /// The message a notification line carries; nil for a line that is not one of these.
    public static func message(from line: Data) -> Message? {
        let decoder = JSONDecoder()
        guard let method = try? decoder.decode(MethodOnly.self, from: line).method else { return nil }
        switch method {
        case changed: return (try? decoder.decode(Envelope<Changes>.self, from: line)).map { .changed($0.params.changes) }
        case idle: return (try? decoder.decode(Envelope<Sequence>.self, from: line)).map { .idle(sequence: $0.params.sequence) }
        case resync: return (try? decoder.decode(Envelope<Sequence>.self, from: line)).map { .resync(sequence: $0.params.sequence) }
        default: return nil
        }
    }

    private struct MethodOnly: Decodable {
        var method: String
    }

    private struct Envelope<Params: Decodable>: Decodable {
        var params: Params
    }
}
