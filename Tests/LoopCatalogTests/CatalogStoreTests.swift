import Foundation
import Logging
@testable import LoopCatalog
import LoopCore
import LoopTestSupport
import PostgresNIO
import Testing

/// The catalogue's writes against a real PostgreSQL (initdb'd in a temporary folder).
@Suite(.serialized, .enabled(if: TemporaryPostgres.unavailableReason == nil, "\(TemporaryPostgres.unavailableReason ?? "")"))
final class CatalogStoreTests {
    let postgres: TemporaryPostgres
    let settings: CatalogSettings

    init() throws {
        postgres = try TemporaryPostgres()
        settings = try CatalogSettings(url: postgres.url, host: "studio-a")
    }

    /// Runs `body` with a client that runs for its duration.
    func withStore<T: Sendable>(host: String = "studio-a", _ body: @Sendable (CatalogStore) async throws -> T) async throws -> T {
        let database = CatalogDatabase(settings: settings, logger: Logger(label: "test"))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await database.run(); return nil }
            defer { group.cancelAll() }
            do {
                return try await body(CatalogStore(database: database, host: host, logger: Logger(label: "test")))
            } catch let error as PSQLError {
                // postgres-nio's description hides the server's message, which is what a failing test needs.
                throw CatalogError.unreachable(CatalogError.reason(error) + " \(String(reflecting: error))")
            }
        }
    }

    static func record(_ id: Int64, bpm: Double? = 124, name: String = "Loop") -> SampleRecord {
        var record = SampleRecord(
            id: id, path: "/srv/samples/Bass/\(name) \(id).wav", root: "/srv/samples", size: 1000 + id, format: .wav, duration: 2,
            bpm: bpm, key: "Am", type: .loop, hash: String(repeating: "a", count: 63) + "\(id % 10)", addedAt: 1_700_000_000, analyzedAt: 1_700_000_000
        )
        record.loudnessLufs = -12
        return record
    }

    func rows() throws -> [String] {
        try postgres.psql("SELECT host || ':' || file_id || ':' || coalesce(bpm::text, '-') || ':' || relative_path FROM catalog_sound ORDER BY host, file_id")
            .split(separator: "\n").map(String.init)
    }

    @Test func theSchemaIsMigratedOnceAndRecorded() async throws {
        try await withStore { store in _ = try await store.open() }
        try await withStore(host: "studio-b") { store in _ = try await store.open() }
        #expect(try postgres.psql("SELECT string_agg(version::text, ',') FROM catalog_migration") == "1,2,3,4,5")
        #expect(try postgres.psql("SELECT string_agg(host, ',' ORDER BY host) FROM catalog_host") == "studio-a,studio-b")
    }

    /// A catalogue made by the first version (as servers of that release left it) is brought up to
    /// date with its rows kept, and every host publishes its records again to fill the new columns.
    @Test func aFirstVersionCatalogueIsMigratedAndRepublished() async throws {
        try await withStore { store in
            try await store.database.transaction { connection in
                for statement in CatalogSchema.migrations[0] { try await connection.query(statement, logger: Logger(label: "test")) }
            }
        }
        _ = try postgres.psql("""
            CREATE TABLE catalog_migration (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO catalog_migration (version) VALUES (1);
            INSERT INTO catalog_host (host, published_sequence) VALUES ('studio-a', 500);
            INSERT INTO catalog_sound (host, file_id, load_generation, record, relative_path, bpm, musical_key, size, added_at)
            VALUES ('studio-a', 7, 0, '{"key": "Em"}', 'Bass/Deep Loop.wav', 124, 'Am', 10, 0)
            """)
        let state = try await withStore { store in try await store.open() }
        #expect(state.publishedSequence == 0)
        #expect(try postgres.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM catalog_migration") == "1,2,3,4,5")
        #expect(try postgres.psql("SELECT file_id || ':' || public || ':' || (words @@ to_tsquery('simple', 'deep & loop')) FROM catalog_sound") == "7:false:true")
        // Version 3's facet columns, from the record kept and the path.
        #expect(try postgres.psql("SELECT musical_key || ':' || top_folder FROM catalog_sound") == "Em:Bass")
        var record = Self.record(7)
        record.camelot = "8A"
        try await withStore { [record] store in try await store.apply(upserting: [record], removing: [], generation: 0, through: 3) }
        #expect(try postgres.psql("SELECT camelot || ':' || musical_key || ':' || published_sequence FROM catalog_sound JOIN catalog_host USING (host)") == "8A:Am:3")
    }

    /// Collections kept before they could be reordered keep the order their sounds were added in.
    @Test func collectionsOfVersionFourKeepTheirOrder() async throws {
        try await withStore { store in
            try await store.database.transaction { connection in
                for statement in CatalogSchema.migrations[0..<4].joined() { try await connection.query(statement, logger: Logger(label: "test")) }
            }
        }
        _ = try postgres.psql("""
            CREATE TABLE catalog_migration (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO catalog_migration (version) VALUES (1), (2), (3), (4);
            INSERT INTO catalog_host (host, published_sequence) VALUES ('studio-a', 5);
            INSERT INTO catalog_sound (host, file_id, load_generation, record, relative_path, size, added_at)
            VALUES ('studio-a', 7, 0, '{}', 'a.wav', 10, 0), ('studio-a', 8, 0, '{}', 'b.wav', 10, 0), ('studio-a', 9, 0, '{}', 'c.wav', 10, 0);
            INSERT INTO catalog_collection (owner, name) VALUES ('alice', 'Set'), ('bob', 'Set');
            INSERT INTO catalog_collection_item (owner, name, host, file_id, added_at)
            VALUES ('alice', 'Set', 'studio-a', 9, now() - interval '3 minutes'), ('alice', 'Set', 'studio-a', 7, now() - interval '2 minutes'),
                   ('alice', 'Set', 'studio-a', 8, now() - interval '1 minute'), ('bob', 'Set', 'studio-a', 8, now())
            """)
        _ = try await withStore { store in try await store.open() }
        #expect(try postgres.psql("SELECT string_agg(owner || ':' || file_id || '@' || position, ',' ORDER BY owner, position) FROM catalog_collection_item")
                == "alice:9@1,alice:7@2,alice:8@3,bob:8@1")
    }

    @Test func aCatalogueFromANewerVersionIsRefused() async throws {
        try await withStore { store in _ = try await store.open() }
        _ = try postgres.psql("INSERT INTO catalog_migration (version) VALUES (99)")
        await #expect(throws: CatalogError.newerSchema(found: 99, known: CatalogSchema.latestVersion)) {
            try await self.withStore { store in _ = try await store.open() }
        }
    }

    @Test func writingTheSameChangesAgainChangesNothing() async throws {
        let state = try await withStore { store in
            let state = try await store.open()
            #expect(state.publishedSequence == 0)
            let batch = (1...300).map { Self.record($0) }
            try await store.apply(upserting: batch, removing: [], generation: state.loadGeneration, through: 40)
            try await store.apply(upserting: batch, removing: [], generation: state.loadGeneration, through: 40)
            // An older batch delivered late never moves the sequence back.
            try await store.apply(upserting: [Self.record(7, bpm: 90)], removing: [3, 4], generation: state.loadGeneration, through: 12)
            return try await store.open()
        }
        #expect(state.publishedSequence == 40)
        let rows = try rows()
        #expect(rows.count == 298)
        #expect(rows.contains("studio-a:7:90:Bass/Loop 7.wav"))
        #expect(!rows.contains { $0.hasPrefix("studio-a:3:") || $0.hasPrefix("studio-a:4:") })
        #expect(try postgres.psql("SELECT count(*) FROM catalog_sound WHERE words @@ to_tsquery('simple', 'bass & loop')") == "298")
        #expect(try postgres.psql("SELECT record->>'key' FROM catalog_sound WHERE file_id = 1") == "Am")
    }

    @Test func aWholeCopySweepsWhatItDidNotSee() async throws {
        try await withStore { store in
            let state = try await store.open()
            try await store.apply(upserting: (1...10).map { Self.record($0) }, removing: [], generation: state.loadGeneration, through: 10)
            let generation = try await store.beginFullCopy()
            #expect(generation == state.loadGeneration + 1)
            try await store.apply(upserting: (5...12).map { Self.record($0) }, removing: [], generation: generation, through: nil)
            #expect(try await store.finishFullCopy(generation: generation, through: 3) == 4)
            // A whole copy sets the sequence outright: the host's log may have begun again.
            #expect(try await store.open().publishedSequence == 3)
        }
        #expect(try rows().map { $0.split(separator: ":")[1] } == (5...12).map { "\($0)" })
    }

    @Test func anotherHostsRowsAreItsOwn() async throws {
        try await withStore { store in
            let state = try await store.open()
            try await store.apply(upserting: [Self.record(1)], removing: [], generation: state.loadGeneration, through: 1)
        }
        try await withStore(host: "studio-b") { store in
            let state = try await store.open()
            try await store.apply(upserting: [Self.record(1, bpm: 100)], removing: [], generation: state.loadGeneration, through: 1)
            let generation = try await store.beginFullCopy()
            _ = try await store.finishFullCopy(generation: generation, through: 1)
        }
        #expect(try rows() == ["studio-a:1:124:Bass/Loop 1.wav"])
    }

    @Test func settingsReadTheURLsPeopleWrite() throws {
        let socket = try CatalogSettings(url: "postgresql://openloop@/library?host=/run/postgresql", host: "nas")
        #expect(socket.servers.count == 1 && socket.servers[0].postgres.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(socket.servers[0].postgres.database == "library" && socket.servers[0].postgres.username == "openloop")
        let tcp = try CatalogSettings(url: "postgresql://open%40loop:p%2Fss@db.example:6432/cat?sslmode=disable", host: "nas-2")
        #expect(tcp.servers[0].postgres.host == "db.example" && tcp.servers[0].postgres.port == 6432)
        #expect(tcp.servers[0].postgres.username == "open@loop" && tcp.servers[0].postgres.password == "p/ss" && tcp.servers[0].postgres.database == "cat")
        #expect(!tcp.description.contains("p/ss") && !tcp.description.contains("p%2Fss"))
        // A primary and its standby, as libpq lists them: by address, or by socket folder and port.
        let pair = try CatalogSettings(url: "postgresql://open%40loop:p%2Fss@db-1:6432,db-2/cat?sslmode=disable", host: "nas")
        #expect(pair.servers.map { "\($0.postgres.host ?? "-"):\($0.postgres.port ?? 0)" } == ["db-1:6432", "db-2:5432"])
        #expect(pair.servers.allSatisfy { $0.postgres.username == "open@loop" && $0.postgres.password == "p/ss" && $0.postgres.database == "cat" })
        #expect(!pair.description.contains("p/ss") && pair.description.contains("db-2:5432"))
        let folders = try CatalogSettings(url: "postgresql://openloop@/cat?host=/run/a,/run/b&port=5432,5433", host: "nas")
        #expect(folders.servers.map { $0.postgres.unixSocketPath ?? "-" } == ["/run/a/.s.PGSQL.5432", "/run/b/.s.PGSQL.5433"])
        var reading = try CatalogSettings(url: "postgresql://openloop@db-1/cat", host: "nas")
        try reading.readFrom(url: "postgresql://openloop@replica:5433/cat")
        #expect(reading.replicas.map { $0.postgres.host ?? "-" } == ["replica"] && reading.servers.count == 1)
        #expect(throws: CatalogError.self) { try CatalogSettings(url: "postgresql://openloop@/cat?host=/run/a,/run/b&port=1,2,3", host: "nas") }
        #expect(throws: CatalogError.self) { try CatalogSettings(url: "postgresql://db-1,/cat", host: "nas") }
        #expect(throws: CatalogError.self) { try CatalogSettings(url: "mysql://db/x", host: "nas") }
        #expect(throws: CatalogError.self) { try CatalogSettings(url: "postgresql://db/x", host: "bad host/name") }
        #expect(throws: CatalogError.self) { try CatalogSettings(url: "postgresql://db/x?sslmode=sometimes", host: "nas") }
    }
}
