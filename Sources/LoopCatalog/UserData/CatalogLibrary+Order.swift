import LoopAPI
import Logging
import PostgresNIO

/// A sound of the catalogue, by the host that holds it and its id there.
public struct CatalogSoundKey: Hashable, Sendable {
    public var host: String
    public var fileID: Int64

    public init(host: String, fileID: Int64) {
        self.host = host
        self.fileID = fileID
    }
}

extension CatalogLibrary {
    /// Puts the `sounds` that are in one of the account's collections, in that order, just before
    /// `before`, at the start or at the end, and numbers every item afresh (as loopd's
    /// collection.move does); returns how many changed place.
    public func move(collection name: String, owner: String, sounds: [CatalogSoundKey], before: CatalogSoundKey?, toStart: Bool) async throws -> Int {
        if before != nil && toStart { throw CatalogLibraryError.twoPlaces }
        let logger = self.logger
        return try await database.transaction { connection in
            try await Self.lock(collection: name, owner: owner, on: connection, logger: logger)
            var order: [CatalogSoundKey] = []
            for try await (host, fileID) in try await connection.query(
                "SELECT host, file_id FROM catalog_collection_item WHERE owner = \(owner) AND name = \(name) ORDER BY position, host, file_id", logger: logger
            ).decode((String, Int64).self) {
                order.append(CatalogSoundKey(host: host, fileID: fileID))
            }
            let arranged: [CatalogSoundKey]
            do throws(CollectionOrder.Refusal<CatalogSoundKey>) {
                arranged = try CollectionOrder.rearranged(order, moving: sounds, before: before, toStart: toStart)
            } catch {
                switch error {
                case let .beforeItself(key): throw CatalogLibraryError.movedBeforeItself(host: key.host, id: key.fileID)
                case let .beforeAbsent(key): throw CatalogLibraryError.notInCollection(host: key.host, id: key.fileID, name: name)
                }
            }
            let changed = CollectionOrder.changedPlaces(order, arranged)
            guard changed > 0 else { return 0 }
            let hosts = arranged.map(\.host), ids = arranged.map(\.fileID)
            try await connection.query(
                """
                UPDATE catalog_collection_item i SET position = o.n
                FROM unnest(\(hosts)::text[], \(ids)::bigint[]) WITH ORDINALITY AS o(host, file_id, n)
                WHERE i.owner = \(owner) AND i.name = \(name) AND i.host = o.host AND i.file_id = o.file_id
                """,
                logger: logger
            )
            return changed
        }
    }
}
