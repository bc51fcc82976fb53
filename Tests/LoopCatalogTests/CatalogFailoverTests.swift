import Foundation
import Logging
import LoopAPI
@testable import LoopCatalog
import LoopCore
import LoopTestSupport
import PostgresNIO
import Testing

/// The catalogue on a primary and a hot standby streaming from it (pg_basebackup, real servers):
/// writes follow a standby once it is promoted, and searches go to the replica while it answers.
@Suite(.serialized, .enabled(if: TemporaryPostgres.unavailableReason == nil, "\(TemporaryPostgres.unavailableReason ?? "")"))
final class CatalogFailoverTests {
    let primary: TemporaryPostgres
    let standby: TemporaryPostgres

    init() throws {
        primary = try TemporaryPostgres()
        standby = try TemporaryPostgres(standbyOf: primary)
    }

    func running<T: Sendable>(_ settings: CatalogSettings, _ body: (CatalogDatabase) async throws -> T) async throws -> T {
        var logger = Logger(label: "test")
        logger.logLevel = .notice
        let database = CatalogDatabase(settings: settings, logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await database.run(); return nil }
            defer { group.cancelAll() }
            return try await body(database)
        }
    }

    func rows(_ server: TemporaryPostgres) throws -> [String] {
        try server.psql("SELECT host || ':' || file_id FROM catalog_sound ORDER BY host, file_id").split(separator: "\n").map(String.init)
    }

    /// Why a write failed, tried twice: the first failure finds the server gone, the second asks
    /// every server again.
    static func refusals(twice write: () async throws -> Void) async -> [String] {
        var reasons: [String] = []
        for _ in 0..<2 {
            do {
                try await write()
            } catch {
                reasons.append(CatalogError.reason(error))
            }
        }
        return reasons
    }

    @Test func writesGoToTheStandbyOnceItIsPromoted() async throws {
        let both = try CatalogSettings(url: "postgresql://openloop@/postgres?host=\(primary.socketFolder),\(standby.socketFolder)", host: "studio-a")
        try await running(both) { database in
            let store = CatalogStore(database: database, host: "studio-a", logger: Logger(label: "test"))
            let state = try await store.open()
            try await store.apply(upserting: [CatalogStoreTests.record(1), CatalogStoreTests.record(2)], removing: [], generation: state.loadGeneration, through: 2)
            // The standby has the rows by streaming, and takes no writes.
            #expect(eventually { try self.rows(self.standby) == ["studio-a:1", "studio-a:2"] })
            #expect(throws: (any Error).self) { try self.standby.psql("DELETE FROM catalog_sound") }

            primary.crash()
            // With no server taking writes, a write fails (a sentence saying so) and writes nothing.
            let failures = await Self.refusals(twice: { try await store.apply(upserting: [CatalogStoreTests.record(3)], removing: [], generation: state.loadGeneration, through: 3) })
            #expect(failures.count == 2)
            #expect(failures.last?.contains("none of its 2 servers takes writes") == true, "\(failures)")

            try standby.promote()
            let resumed = try await store.open()
            #expect(resumed.publishedSequence == 2)
            try await store.apply(upserting: [CatalogStoreTests.record(3)], removing: [], generation: resumed.loadGeneration, through: 3)
            #expect(try rows(standby) == ["studio-a:1", "studio-a:2", "studio-a:3"])
            #expect(try standby.psql("SELECT published_sequence FROM catalog_host") == "3")

            // The old primary started again takes writes too, on the timeline it left: a process
            // choosing now picks the promoted standby, whichever answers first.
            try primary.start()
            let chosen = try await running(both) { fresh in try await fresh.writableServer() }
            #expect(chosen == 1, "the promoted standby, not the old primary")

            // With the standby gone, this process, which wrote on the newer timeline, does not
            // fall back to the old primary: writes fail, saying so, and it keeps its rows.
            standby.crash()
            let refusals = await Self.refusals(twice: { try await store.apply(upserting: [CatalogStoreTests.record(4)], removing: [], generation: resumed.loadGeneration, through: 4) })
            #expect(refusals.count == 2 && refusals.last?.contains("an old primary") == true, "\(refusals)")
            #expect(try rows(primary) == ["studio-a:1", "studio-a:2"])
        }
    }

    /// A query issued on a connection the server has just closed is never answered by postgres-nio
    /// (it writes to the closed channel without a promise): the guard ends the wait, with an error
    /// that may mean failover, instead of publishing stalling for ever after a primary's crash.
    @Test(.timeLimit(.minutes(1))) func workOnAConnectionTheServerClosedEnds() async throws {
        let settings = try CatalogSettings(url: "postgresql://openloop@/postgres?host=\(primary.socketFolder)", host: "studio-a")
        let server = try #require(settings.servers.first)
        let logger = Logger(label: "test")
        let connection = try await PostgresConnection.connect(configuration: try server.connectionConfiguration(), id: 1, logger: logger)
        _ = try primary.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
        try await connection.closeFuture.get()
        await #expect(throws: ConnectionClosed.self) {
            try await ClosedConnectionGuard.run(on: connection, server: "the primary") { connection in
                try await connection.query("SELECT 1", logger: logger).collect().count
            }
        }
        #expect(CatalogDatabase.mayMeanFailover(ConnectionClosed(server: "the primary")))
    }

    @Test func searchesGoToTheReplicaAndToThePrimaryWhenItIsDown() async throws {
        var settings = try CatalogSettings(url: "postgresql://openloop@/postgres?host=\(primary.socketFolder)", host: "studio-a")
        try settings.readFrom(url: "postgresql://openloop@/postgres?host=\(standby.socketFolder)")
        let library = TemporaryDirectory("lib")
        var record = CatalogStoreTests.record(1, name: "Deep Bass")
        record.path = library.file("Bass/Deep Bass 1.wav")
        record.root = library.path
        _ = FileManager.default.createFile(atPath: record.path, contents: Data())
        _ = chmod(record.path, 0o644)
        let written = record
        try await running(settings) { database in
            let store = CatalogStore(database: database, host: "studio-a", logger: Logger(label: "test"))
            let state = try await store.open()
            try await store.apply(upserting: [written], removing: [], generation: state.loadGeneration, through: 1)
            #expect(eventually { try self.rows(self.standby) == ["studio-a:1"] })
            let search = CatalogSearch(database: database, silentAfter: .seconds(3600), logger: Logger(label: "test"))
            let request = FindRequest(query: "deep bass", limit: 10, facets: true)

            // The primary stopped: the replica still answers, so that is where searches go.
            primary.stop()
            let fromReplica = try await search.find(request)
            #expect(fromReplica.hits.map(\.record.id) == [1] && fromReplica.facets?.total == 1)

            // The replica stopped and the primary back: searches go to the primary.
            try primary.start()
            standby.stop()
            let fromPrimary = try await search.find(request)
            #expect(fromPrimary.hits.map(\.record.id) == [1])
        }
    }
}
