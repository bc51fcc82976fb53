import Foundation
import LoopCore
import Logging
import PostgresNIO

/// The catalogue's rows for one host: what the publisher writes. Each write is one transaction
/// that also moves the host's published sequence, so a write either lands whole or not at all,
/// and writing the same changes again changes nothing.
public struct CatalogStore: Sendable {
    public let database: CatalogDatabase
    public let host: String
    /// Where other servers reach this one's loopweb, told with each heartbeat.
    let peerAddress: PeerAddress
    let logger: Logger

    public init(database: CatalogDatabase, host: String, peerAddress: PeerAddress = PeerAddress(), logger: Logger) {
        self.database = database
        self.host = host
        self.peerAddress = peerAddress
        self.logger = logger
    }

    /// Where this host's publishing stands in the catalogue.
    public struct HostState: Sendable, Equatable {
        public var publishedSequence: Int64
        public var loadGeneration: Int64
    }

    /// Migrates the schema, registers the host if it is new, and reads where it stands.
    public func open() async throws -> HostState {
        try await database.writing { connection in
            try await CatalogSchema.migrate(connection, logger: logger)
            let rows = try await connection.query(
                """
                INSERT INTO catalog_host (host, peer_url) VALUES (\(host), \(peerAddress.url))
                ON CONFLICT (host) DO UPDATE SET last_seen = now(), peer_url = coalesce(excluded.peer_url, catalog_host.peer_url)
                RETURNING published_sequence, load_generation
                """,
                logger: logger
            )
            for try await (sequence, generation) in rows.decode((Int64, Int64).self) {
                return HostState(publishedSequence: sequence, loadGeneration: generation)
            }
            throw CatalogError.unreachable("the catalogue did not register host \(host).")
        }
    }

    /// Writes these records (new or changed) and removes `removed`, and records that the catalogue
    /// now holds the host's changes up to `sequence` (never moving it back).
    public func apply(upserting records: [SampleRecord], removing removed: [Int64], generation: Int64, through sequence: Int64?) async throws {
        // A file other servers' web accounts may find: one any user here may read (its folders passable).
        let anyone = ReadPermission(.anyone)
        let batch = Self.json(records) { anyone.mayRead($0.path) }
        let removedIDs = removed
        try await database.transaction { connection in
            if !records.isEmpty {
                try await connection.query(Self.upsert(host: host, generation: generation, recordsJSON: batch), logger: logger)
            }
            if !removedIDs.isEmpty {
                try await connection.query("DELETE FROM catalog_sound WHERE host = \(host) AND file_id = ANY(\(removedIDs))", logger: logger)
            }
            if let sequence {
                try await connection.query(
                    "UPDATE catalog_host SET published_sequence = greatest(published_sequence, \(sequence)), last_seen = now() WHERE host = \(host)",
                    logger: logger
                )
            }
        }
    }

    /// Starts a full copy: rows it writes carry the returned generation.
    public func beginFullCopy() async throws -> Int64 {
        try await database.writing { connection in
            let rows = try await connection.query(
                "UPDATE catalog_host SET load_generation = load_generation + 1 WHERE host = \(host) RETURNING load_generation", logger: logger
            )
            for try await generation in rows.decode(Int64.self) { return generation }
            throw CatalogError.unreachable("host \(host) is not registered in the catalogue.")
        }
    }

    /// Ends a full copy: rows of the host it did not write (files gone while the host was not
    /// publishing) are removed, and the host's records are current to `sequence`.
    public func finishFullCopy(generation: Int64, through sequence: Int64) async throws -> Int {
        try await database.transaction { connection in
            let swept = try await connection.query(
                "DELETE FROM catalog_sound WHERE host = \(host) AND load_generation < \(generation) RETURNING file_id", logger: logger
            )
            var count = 0
            for try await _ in swept.decode(Int64.self) { count += 1 }
            // A full copy sets the sequence outright: the host's own log may have started again.
            try await connection.query(
                "UPDATE catalog_host SET published_sequence = \(sequence), last_seen = now() WHERE host = \(host)", logger: logger
            )
            return count
        }
    }

    /// Says the host is alive, and where it is reached.
    public func heartbeat() async throws {
        _ = try await database.writing { connection in
            try await connection.query("UPDATE catalog_host SET last_seen = now(), peer_url = \(peerAddress.url) WHERE host = \(host)", logger: logger)
        }
    }

    /// The records as JSON text for one bind: PostgreSQL takes the batch apart itself, so a batch
    /// is one statement whatever its size. `public` (kept out of the stored record) says whether
    /// any user on this server may read the file.
    static func json(_ records: [SampleRecord], public isPublic: (SampleRecord) -> Bool) -> String {
        var text = "["
        for (index, record) in records.enumerated() {
            if index > 0 { text += "," }
            text += "{"
            record.writeJSONMembers(to: &text)
            text += ",\"public\":\(isPublic(record))}"
        }
        return text + "]"
    }

    static func upsert(host: String, generation: Int64, recordsJSON: String) -> PostgresQuery {
        """
        INSERT INTO catalog_sound AS s (host, file_id, load_generation, record, relative_path, public, bpm, musical_key, camelot, sound_type, format,
                                        duration, loudness, sample_rate, channels, bit_depth, instruments, size, hash, added_at, meta)
        SELECT \(host), (r->>'id')::bigint, \(generation), r - 'public',
               CASE WHEN left(r->>'path', length(r->>'root') + 1) = (r->>'root') || '/' THEN substr(r->>'path', length(r->>'root') + 2) ELSE r->>'path' END,
               coalesce((r->>'public')::boolean, false),
               (r->>'bpm')::double precision, r->>'key', r->>'camelot', r->>'type', r->>'format', (r->>'duration')::double precision,
               coalesce((r->>'loudnessLufs')::double precision, (r->>'clipLoudnessLufs')::double precision),
               (r->>'sampleRate')::integer, (r->>'channels')::integer, (r->>'bitDepth')::integer,
               coalesce(ARRAY(SELECT jsonb_array_elements_text(r->'instruments')), '{}'),
               (r->>'size')::bigint, r->>'hash', (r->>'addedAt')::double precision,
               concat_ws(' ', r->>'title', r->>'artist', r->>'genre', r->>'comment', r->>'description',
                         array_to_string(ARRAY(SELECT jsonb_array_elements_text(r->'instruments')), ' '))
        FROM jsonb_array_elements(\(recordsJSON)::jsonb) AS r
        ON CONFLICT (host, file_id) DO UPDATE SET
            load_generation = excluded.load_generation, record = excluded.record, relative_path = excluded.relative_path,
            public = excluded.public, bpm = excluded.bpm, musical_key = excluded.musical_key, camelot = excluded.camelot, sound_type = excluded.sound_type,
            format = excluded.format, duration = excluded.duration, loudness = excluded.loudness, sample_rate = excluded.sample_rate,
            channels = excluded.channels, bit_depth = excluded.bit_depth, instruments = excluded.instruments, size = excluded.size,
            hash = excluded.hash, added_at = excluded.added_at, meta = excluded.meta
        """
    }
}
