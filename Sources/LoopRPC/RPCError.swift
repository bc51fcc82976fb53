/// A JSON-RPC error object. Codes are stable: scripts may rely on them.
public struct RPCError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ code: RPCErrorCode, _ message: String) {
        self.init(code: code.rawValue, message: message)
    }

    public var description: String { message }
}

/// Every error code loopd sends, with its meaning (also listed in `Sources/LoopAPI/PROTOCOL.md`).
public enum RPCErrorCode: Int, Sendable, CaseIterable {
    // JSON-RPC 2.0's own.
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    // loopd's, in the server range -32000...-32099.
    /// The id or path names no indexed file.
    case noSuchFile = -32001
    /// The daemon is shutting down and did not finish the request.
    case shuttingDown = -32002
    /// A path given is not inside any library root.
    case outsideLibrary = -32003
    /// The request is larger than the server accepts: a line over `limits.line_bytes`,
    /// or a batch of more than `limits.batch_calls` calls.
    case requestTooLarge = -32004
    /// The index could not be read or written.
    case indexFailure = -32005
    /// The query (or its cursor) could not be understood; the message says why.
    case invalidQuery = -32006
    /// The caller may not make this change (it needs write access, or belongs to someone else).
    case permissionDenied = -32007
    /// Something of that name already exists (a collection, a file at an add's destination).
    case alreadyExists = -32008
    /// No collection of that name is visible to the caller.
    case noSuchCollection = -32009
    /// A file's bytes no longer match the hash stored when it was indexed.
    case contentMismatch = -32010
    /// loopd holds as many connections as it serves (in all, or from this user); try again later.
    case tooManyConnections = -32011
    /// The replies to one line would pass `limits.reply_bytes`; ask for less (a smaller batch, a limit, a cursor).
    case replyTooLarge = -32012
    /// The views or the catalogue could not be written (a read-only folder, a sandbox); the message names the first failure.
    case publishFailed = -32013
    /// No account of that name, or a token that is not (or no longer) valid.
    case noSuchAccount = -32014
}
