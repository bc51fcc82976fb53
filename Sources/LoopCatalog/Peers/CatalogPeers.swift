import Foundation
import Logging
import PostgresNIO
import Synchronization

/// What one server needs to fetch a file another server holds: where that server's loopweb is
/// reached, the file's catalogued facts, and the catalogue's secret from which every host's key
/// for signed requests is derived. Whoever may write the catalogue is trusted with it anyway.
public final class CatalogPeers: Sendable {
    let database: CatalogDatabase
    let silentAfter: Duration
    let logger: Logger
    private let cachedSecret = Mutex<Data?>(nil)

    public init(database: CatalogDatabase, silentAfter: Duration, logger: Logger) {
        self.database = database
        self.silentAfter = silentAfter
        self.logger = logger
    }

    /// A file as the catalogue knows it, and how to reach its host.
    public struct Location: Sendable, Equatable {
        public var host: String
        public var fileID: Int64
        /// The host's loopweb as other servers reach it; nil when it has not said.
        public var peerURL: String?
        public var hash: String?
        public var size: Int64
        /// Heard from within the silent period.
        public var available: Bool
    }

    /// The public file `fileID` of `host`; nil when the catalogue has no such file any user may read.
    public func location(host: String, fileID: Int64) async throws -> Location? {
        let silentSeconds = Double(silentAfter.components.seconds)
        let logger = self.logger
        return try await database.reading { connection -> Location? in
            let rows = try await connection.query(
                """
                SELECT h.peer_url, s.hash, s.size, h.last_seen > now() - make_interval(secs => \(silentSeconds))
                FROM catalog_sound s JOIN catalog_host h USING (host)
                WHERE s.host = \(host) AND s.file_id = \(fileID) AND s.public
                """,
                logger: logger
            )
            for try await (peerURL, hash, size, available) in rows.decode((String?, String?, Int64, Bool).self) {
                return Location(host: host, fileID: fileID, peerURL: peerURL, hash: hash, size: size, available: available)
            }
            return nil
        }
    }

    /// The catalogue's secret, made by the first server that asks (32 random bytes) and kept in
    /// memory once read: a server that answers peers while PostgreSQL is away still can.
    public func secret() async throws -> Data {
        if let known = cachedSecret.withLock({ $0 }) { return known }
        var generator = SystemRandomNumberGenerator()
        let fresh = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        // Two statements, each seeing what the other servers committed: the first one's secret wins.
        let logger = self.logger
        let value = try await database.writing { connection in
            try await connection.query("INSERT INTO catalog_secret (name, value) VALUES ('peer', \(fresh)) ON CONFLICT (name) DO NOTHING", logger: logger)
            for try await value in try await connection.query("SELECT value FROM catalog_secret WHERE name = 'peer'", logger: logger).decode(Data.self) {
                return value
            }
            throw CatalogError.unreachable("the catalogue keeps no secret for signed requests.")
        }
        cachedSecret.withLock { $0 = value }
        return value
    }
}
