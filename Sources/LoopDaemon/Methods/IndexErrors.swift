import LoopAPI
import LoopCore
import LoopRPC

/// The JSON-RPC error for what an index read or change threw.
enum IndexErrors {
    /// Runs an index read or change, turning what it throws into the JSON-RPC error the client gets.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw rpcError(for: error)
        }
    }

    static func rpcError(for error: any Error) -> RPCError {
        switch error {
        case let error as RPCError: return error
        case let error as QueryError: return RPCError(.invalidQuery, "Invalid query: \(error.description)")
        case let error as LibraryDataError:
            switch error {
            case .noSuchCollection: return RPCError(.noSuchCollection, error.description)
            case .noSuchFile: return RPCError(.noSuchFile, error.description)
            case .collectionExists: return RPCError(.alreadyExists, error.description)
            case .notAllowed: return RPCError(.permissionDenied, error.description)
            case .invalidTag, .invalidName, .emptySelection, .notInCollection, .movedBeforeItself, .twoPlaces: return RPCError(.invalidParams, "Invalid params: " + error.description)
            }
        default: return RPCError(.indexFailure, "Index failure: \(error).")
        }
    }
}
