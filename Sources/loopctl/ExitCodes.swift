import ArgumentParser
import LoopRPC

/// loopctl's exit codes, documented in `loopctl --help` and the README. Scripts may rely on them.
enum ExitCodes {
    static let ok: Int32 = 0
    /// Nothing found: no results, no such file or collection.
    static let notFound: Int32 = 1
    /// The command line or the query is wrong.
    static let usage: Int32 = 2
    /// loopd is not running or cannot be reached.
    static let unreachable: Int32 = 3
    /// The daemon refused: the change needs write access or belongs to someone else.
    static let notAllowed: Int32 = 4
    /// A file's bytes do not match its indexed hash (bit rot or an unseen change).
    static let mismatch: Int32 = 5
    /// The destination exists and --force was not given, or a name is taken.
    static let exists: Int32 = 6
    /// Anything else: a file could not be read or written, the index failed.
    static let failure: Int32 = 7

    static let summary = """
        Exit codes: 0 ok; 1 nothing found (no results, no such file or collection); 2 usage error or bad query; \
        3 loopd unreachable; 4 not allowed; 5 content does not match its hash; 6 destination exists; 7 other failure.
        """

    static func code(for error: RPCClientError) -> Int32 {
        switch error {
        case .notRunning, .cannotConnect, .connectionLost, .serverUnreachable: return unreachable
        case let .serverRefused(status, _):
            switch status {
            case 401, 403: return notAllowed
            case 404: return notFound
            case 400, 413, 415: return usage
            default: return failure
            }
        case .badReply, .serverBadReply: return failure
        case let .server(error):
            switch RPCErrorCode(rawValue: error.code) {
            case .noSuchFile, .noSuchCollection, .noSuchAccount: return notFound
            case .invalidParams, .invalidQuery, .invalidRequest, .outsideLibrary, .requestTooLarge, .methodNotFound: return usage
            case .permissionDenied: return notAllowed
            case .alreadyExists: return exists
            case .contentMismatch: return mismatch
            default: return failure
            }
        }
    }
}

extension ExitCode {
    static let notFound = ExitCode(ExitCodes.notFound)
    static let usage = ExitCode(ExitCodes.usage)
    static let mismatch = ExitCode(ExitCodes.mismatch)
    static let exists = ExitCode(ExitCodes.exists)
    static let ioFailure = ExitCode(ExitCodes.failure)
}
