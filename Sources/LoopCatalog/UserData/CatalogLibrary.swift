import Foundation
import Logging
import PostgresNIO

/// A person's favourites and collections over every server's sounds, kept in the catalogue so
/// that every loopweb shows the same. People are known by account name on every server (the
/// catalogue's writers are trusted with it, as with the peer secret); only sounds any user of
/// their server may read (`public`) can be marked, and a mark goes with its sound.
public struct CatalogLibrary: Sendable {
    let database: CatalogDatabase
    let silentAfter: Duration
    let logger: Logger

    /// Sounds listed at most per favourites or collection page.
    public static let maxListed = 1000
    public static let maxCollections = 1000

    public init(database: CatalogDatabase, silentAfter: Duration, logger: Logger) {
        self.database = database
        self.silentAfter = silentAfter
        self.logger = logger
    }

    /// A collection as the catalogue keeps it.
    public struct Collection: Sendable, Equatable {
        public var owner: String
        public var name: String
        public var shared: Bool
        public var items: Int
        public var createdAt: Double
    }

    /// Marks (or unmarks) a sound; false when the catalogue lists no such sound any user may read.
    public func setFavourite(_ on: Bool, account: String, host: String, fileID: Int64) async throws -> Bool {
        let logger = self.logger
        return try await database.writing { connection in
            if on {
                try await connection.query(
                    """
                    INSERT INTO catalog_favourite (account, host, file_id)
                    SELECT \(account), host, file_id FROM catalog_sound WHERE host = \(host) AND file_id = \(fileID) AND public
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger
                )
            } else {
                try await connection.query("DELETE FROM catalog_favourite WHERE account = \(account) AND host = \(host) AND file_id = \(fileID)", logger: logger)
            }
            return try await Self.listed(host: host, fileID: fileID, on: connection, logger: logger)
        }
    }

    /// The account's favourites, the latest first.
    public func favourites(account: String) async throws -> [CatalogHit] {
        let query: PostgresQuery = """
            SELECT s.host, s.record::text, h.last_seen > now() - make_interval(secs => \(Double(silentAfter.components.seconds)))
            FROM catalog_favourite f JOIN catalog_sound s USING (host, file_id) JOIN catalog_host h ON h.host = s.host
            WHERE f.account = \(account) AND s.public
            ORDER BY f.added_at DESC, s.host, s.file_id LIMIT \(Self.maxListed)
            """
        let logger = self.logger
        return try await database.reading { connection in try await CatalogSearch.hits(query, on: connection, logger: logger) }
    }

    /// Makes the account's collection `name` (or changes whether it is shared); returns it.
    public func createCollection(owner: String, name: String, shared: Bool) async throws -> Collection {
        let logger = self.logger
        // Read back in the same transaction: a replica may not have the row yet.
        let made = try await database.transaction { connection in
            var count = 0
            // The collection itself does not count: making it again only changes whether it is shared.
            for try await value in try await connection.query(
                "SELECT count(*)::int FROM catalog_collection WHERE owner = \(owner) AND name <> \(name)", logger: logger
            ).decode(Int.self) {
                count = value
            }
            guard count < Self.maxCollections else { throw CatalogLibraryError.tooManyCollections(Self.maxCollections) }
            try await connection.query(
                """
                INSERT INTO catalog_collection (owner, name, shared) VALUES (\(owner), \(name), \(shared))
                ON CONFLICT (owner, name) DO UPDATE SET shared = excluded.shared
                """,
                logger: logger
            )
            return try await Self.summaries(Self.one(owner: owner, name: name, seenBy: owner), on: connection, logger: logger)
        }
        guard let first = made.first else { throw CatalogLibraryError.noCollection(name) }
        return first
    }

    /// The account's own collections and those others share, by owner and name.
    public func collections(account: String) async throws -> [Collection] {
        try await summaries("""
            \(unescaped: Self.summaryColumns) WHERE c.owner = \(account) OR c.shared
            GROUP BY c.owner, c.name ORDER BY c.owner <> \(account), c.owner, c.name LIMIT \(Self.maxCollections)
            """)
    }

    /// One collection of `owner`'s that `account` may see: its own, or one shared.
    func collection(owner: String, name: String, seenBy account: String) async throws -> Collection {
        guard let found = try await summaries(Self.one(owner: owner, name: name, seenBy: account)).first else { throw CatalogLibraryError.noCollection(name) }
        return found
    }

    static func one(owner: String, name: String, seenBy account: String) -> PostgresQuery {
        """
        \(unescaped: summaryColumns) WHERE c.owner = \(owner) AND c.name = \(name) AND (c.owner = \(account) OR c.shared)
        GROUP BY c.owner, c.name
        """
    }

    static let summaryColumns = """
        SELECT c.owner, c.name, c.shared, count(i.file_id)::int, extract(epoch FROM c.created_at)::float8
        FROM catalog_collection c LEFT JOIN catalog_collection_item i ON i.owner = c.owner AND i.name = c.name
        """

    /// Collections as `query` selects them, with `summaryColumns`.
    func summaries(_ query: PostgresQuery) async throws -> [Collection] {
        let logger = self.logger
        return try await database.reading { connection in try await Self.summaries(query, on: connection, logger: logger) }
    }

    static func summaries(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Collection] {
        var all: [Collection] = []
        for try await (owner, name, shared, items, created) in try await connection.query(query, logger: logger).decode((String, String, Bool, Int, Double).self) {
            all.append(Collection(owner: owner, name: name, shared: shared, items: items, createdAt: created))
        }
        return all
    }

    /// A collection the account owns, or one its owner shares, with its sounds (added first, first).
    public func collection(owner: String, name: String, account: String) async throws -> (Collection, [CatalogHit]) {
        let found = try await collection(owner: owner, name: name, seenBy: account)
        let query: PostgresQuery = """
            SELECT s.host, s.record::text, h.last_seen > now() - make_interval(secs => \(Double(silentAfter.components.seconds)))
            FROM catalog_collection_item i JOIN catalog_sound s USING (host, file_id) JOIN catalog_host h ON h.host = s.host
            WHERE i.owner = \(owner) AND i.name = \(name) AND s.public
            ORDER BY i.position, s.host, s.file_id LIMIT \(Self.maxListed)
            """
        let logger = self.logger
        return (found, try await database.reading { connection in try await CatalogSearch.hits(query, on: connection, logger: logger) })
    }

    /// Puts a sound in (or takes it out of) one of the account's collections; whether that changed it.
    public func change(collection name: String, owner: String, host: String, fileID: Int64, remove: Bool) async throws -> Bool {
        let logger = self.logger
        return try await database.transaction { connection in
            try await Self.lock(collection: name, owner: owner, on: connection, logger: logger)
            guard try await Self.listed(host: host, fileID: fileID, on: connection, logger: logger) else { throw CatalogLibraryError.noSound(host: host, id: fileID) }
            let rows: PostgresRowSequence
            if remove {
                rows = try await connection.query(
                    "DELETE FROM catalog_collection_item WHERE owner = \(owner) AND name = \(name) AND host = \(host) AND file_id = \(fileID) RETURNING 1",
                    logger: logger
                )
            } else {
                rows = try await connection.query(
                    """
                    INSERT INTO catalog_collection_item (owner, name, host, file_id, position)
                    SELECT \(owner), \(name), \(host), \(fileID), coalesce(max(position), 0) + 1
                    FROM catalog_collection_item WHERE owner = \(owner) AND name = \(name)
                    ON CONFLICT DO NOTHING RETURNING 1
                    """,
                    logger: logger
                )
            }
            var changed = false
            for try await _ in rows.decode(Int.self) { changed = true }
            return changed
        }
    }

    /// Deletes one of the account's collections (not the sounds).
    public func deleteCollection(owner: String, name: String) async throws {
        let logger = self.logger
        let deleted = try await database.writing { connection in
            var deleted = false
            for try await _ in try await connection.query("DELETE FROM catalog_collection WHERE owner = \(owner) AND name = \(name) RETURNING 1", logger: logger).decode(Int.self) {
                deleted = true
            }
            return deleted
        }
        guard deleted else { throw CatalogLibraryError.noCollection(name) }
    }

    /// Holds one of the account's collections until the transaction ends, so that changes to its
    /// items (and their positions) happen one after another.
    static func lock(collection name: String, owner: String, on connection: PostgresConnection, logger: Logger) async throws {
        for try await _ in try await connection.query("SELECT 1 FROM catalog_collection WHERE owner = \(owner) AND name = \(name) FOR UPDATE", logger: logger).decode(Int.self) {
            return
        }
        throw CatalogLibraryError.noCollection(name)
    }

    /// Whether the catalogue lists the sound for every user of its server.
    static func listed(host: String, fileID: Int64, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await found in try await connection.query(
            "SELECT EXISTS (SELECT 1 FROM catalog_sound WHERE host = \(host) AND file_id = \(fileID) AND public)", logger: logger
        ).decode(Bool.self) {
            return found
        }
        return false
    }
}

/// What the catalogue refuses of a person's favourites and collections, in a sentence.
public enum CatalogLibraryError: Error, CustomStringConvertible, Sendable, Equatable {
    case noCollection(String)
    case noSound(host: String, id: Int64)
    case tooManyCollections(Int)
    case notInCollection(host: String, id: Int64, name: String)
    case movedBeforeItself(host: String, id: Int64)
    case twoPlaces

    public var description: String {
        switch self {
        case let .noCollection(name): "There is no collection '\(name)' of yours, or shared with you, in the catalogue."
        case let .noSound(host, id): "The catalogue lists no sound \(id) on host \(host) that its users may read."
        case let .tooManyCollections(limit): "An account keeps at most \(limit) collections in the catalogue; delete one first."
        case let .notInCollection(host, id, name): "Sound \(id) on host \(host) is not in the collection '\(name)', so nothing can be moved before it."
        case let .movedBeforeItself(host, id): "Sound \(id) on host \(host) is among the sounds being moved, so they cannot go before it."
        case .twoPlaces: "Say one place to move to: before a sound, or to the start, not both."
        }
    }
}
