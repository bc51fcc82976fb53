import Logging
import PostgresNIO

extension PostgresConnection {
    /// A transaction whose failure reaches the caller as the error that caused it (postgres-nio wraps
    /// it), so a `CatalogError` stays one.
    func catalogTransaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> sending Result) async throws -> Result {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }
}

extension CatalogError {
    /// What went wrong with PostgreSQL, in a sentence: the server's own message when it sent one
    /// (postgres-nio's descriptions leave it out so as not to leak data into logs).
    public static func reason(_ error: any Error) -> String {
        if let error = error as? CatalogError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return "PostgreSQL says: \(message)." }
            if let underlying = error.underlying { return "\(underlying)." }
            return "\(error.code)."
        }
        return "\(error)"
    }
}
