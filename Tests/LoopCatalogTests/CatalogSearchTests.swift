import Foundation
import Logging
import LoopAPI
import LoopCatalog
import LoopCore
import LoopTestSupport
import PostgresNIO
import Testing

/// The query language compiled for the catalogue, against a real PostgreSQL: the same questions
/// the index answers, over rows of two hosts.
@Suite(.serialized, .enabled(if: TemporaryPostgres.unavailableReason == nil, "\(TemporaryPostgres.unavailableReason ?? "")"))
final class CatalogSearchTests {
    let postgres: TemporaryPostgres
    let settings: CatalogSettings
    /// Real files, readable by anyone, for the rows to name (only those are found).
    let library = TemporaryDirectory("lib")

    init() throws {
        postgres = try TemporaryPostgres()
        settings = try CatalogSettings(url: postgres.url, host: "studio-a")
    }

    func record(_ id: Int64, _ relative: String, bpm: Double?, key: String?, type: SampleType, readable: Bool = true) -> SampleRecord {
        let path = library.file(relative)
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        _ = chmod(path, readable ? 0o644 : 0o600)
        var record = SampleRecord(
            id: id, path: path, root: library.path, size: 10, format: relative.hasSuffix(".flac") ? .flac : .wav, duration: type == .loop ? 8 : 0.5,
            bpm: bpm, key: key, type: type, addedAt: Double(1_700_000_000 + id), analyzedAt: 1_700_000_000
        )
        record.camelot = key.flatMap { MusicalKey(nameOrCamelot: $0)?.camelot }
        if relative.lowercased().contains("bass") { record.instruments = ["bass"] }
        return record
    }

    /// Host A: bass loops around 124 in A minor and neighbours; host B: a few more, and one private.
    func fill() async throws {
        let hostA = [
            record(1, "Bass/Deep Bass 124 Am.wav", bpm: 124, key: "Am", type: .loop),
            record(2, "Bass/Sub Bass 126 Am.wav", bpm: 126, key: "Am", type: .loop),
            record(3, "Bass/Bass Stab C.wav", bpm: nil, key: "C", type: .oneShot),
            record(4, "Drums/Kick 124.wav", bpm: 124, key: nil, type: .loop),
            record(5, "Bass/Half Bass 62 Am.flac", bpm: 62, key: "Am", type: .loop),
        ]
        let hostB = [
            record(1, "B/Bass Line 125 Em.wav", bpm: 125, key: "Em", type: .loop),
            record(2, "B/Secret Bass 124 Am.wav", bpm: 124, key: "Am", type: .loop, readable: false),
        ]
        try await withClient { client in
            for (host, records) in [("studio-a", hostA), ("studio-b", hostB)] {
                let store = CatalogStore(database: client, host: host, logger: Logger(label: "test"))
                let state = try await store.open()
                try await store.apply(upserting: records, removing: [], generation: state.loadGeneration, through: Int64(records.count))
            }
        }
    }

    func withClient<T: Sendable>(_ body: @Sendable (CatalogDatabase) async throws -> T) async throws -> T {
        let client = CatalogDatabase(settings: settings, logger: Logger(label: "test"))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await client.run(); return nil }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Nothing beats a heartbeat here after `open()`, and a loaded machine can take a while
    /// between filling and asking: a silence of an hour is what marks a host unavailable.
    func find(_ request: FindRequest, account: String? = nil, silentAfter: Duration = .seconds(3600)) async throws -> CatalogPage {
        try await withClient { client in
            try await CatalogSearch(database: client, silentAfter: silentAfter, logger: Logger(label: "test")).find(request, account: account)
        }
    }

    func names(_ page: CatalogPage) -> [String] {
        page.hits.map { "\($0.host):" + ($0.record.path as NSString).lastPathComponent }
    }

    @Test func theSpliceFilterFindsTheSameAsTheIndexWould() async throws {
        try await fill()
        let page = try await find(FindRequest(query: "bass bpm:120..128 key:Am type:loop", sort: .bpm))
        #expect(names(page) == ["studio-a:Deep Bass 124 Am.wav", "studio-a:Sub Bass 126 Am.wav"], "the unreadable file of studio-b is left out")
        #expect(page.hits.filter { !$0.available }.isEmpty)
        let halfDouble = try await find(FindRequest(query: "bpm:120..128 key:Am", sort: .bpm, halfDoubleTime: true))
        #expect(names(halfDouble) == ["studio-a:Half Bass 62 Am.flac", "studio-a:Deep Bass 124 Am.wav", "studio-a:Sub Bass 126 Am.wav"])
        let compatible = try await find(FindRequest(query: "key:Am type:loop bpm:125", compatibleKeys: true))
        #expect(names(compatible) == ["studio-b:Bass Line 125 Em.wav"])
    }

    @Test func textFieldsAndLogicCompile() async throws {
        try await fill()
        let expectations: [(String, SearchSort?, [String])] = [
            ("sta", .name, ["studio-a:Bass Stab C.wav"]),
            ("\"sub bass\"", nil, ["studio-a:Sub Bass 126 Am.wav"]),
            ("bass -type:loop", nil, ["studio-a:Bass Stab C.wav"]),
            ("kick OR stab", .name, ["studio-a:Bass Stab C.wav", "studio-a:Kick 124.wav"]),
            ("format:flac", nil, ["studio-a:Half Bass 62 Am.flac"]),
            ("path:Drums", nil, ["studio-a:Kick 124.wav"]),
            ("dur:<1", nil, ["studio-a:Bass Stab C.wav"]),
        ]
        for (query, sort, expected) in expectations {
            let found = names(try await find(FindRequest(query: query, sort: sort)))
            #expect(found == expected, "\(query)")
        }
        let bass = try await find(FindRequest(query: "instrument:bass"))
        #expect(bass.hits.count == 5)
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(query: "tag:dark")) }
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(query: "bpm:fast")) }
    }

    @Test func pagesFollowTheCursorAndFacetsCount() async throws {
        try await fill()
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await find(FindRequest(query: "", sort: .added, cursor: cursor, limit: 2))
            seen += names(page)
            cursor = page.next
        } while cursor != nil
        #expect(seen.count == 6 && Set(seen).count == 6)
        let faceted = try await find(FindRequest(query: "type:loop", limit: 1, facets: true))
        let facets = try #require(faceted.facets)
        // Loops: four of studio-a (one at 62 BPM, one a kick without a key) and one of studio-b.
        #expect(facets.total == 5)
        #expect(facets.key == ["Am": 3, "Em": 1])
        #expect(facets.bpm == ["60-69": 1, "120-129": 4])
        #expect(facets.folder == ["Bass": 3, "Drums": 1, "B": 1])
        #expect(facets.type == ["loop": 5])
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(cursor: "x12")) }
    }

    @Test func favouritesAndCollectionsAreTheSearchingAccounts() async throws {
        try await fill()
        try await withClient { client in
            let library = CatalogLibrary(database: client, silentAfter: .seconds(3600), logger: Logger(label: "test"))
            for (account, host, id) in [("alice", "studio-a", 1), ("alice", "studio-b", 1), ("bob", "studio-a", 4)] {
                #expect(try await library.setFavourite(true, account: account, host: host, fileID: Int64(id)))
            }
            // Both have a "Picks": alice's private one is hers; bob shares his "Kicks" with everyone.
            for (owner, name, shared, id) in [("alice", "Picks", false, 2), ("bob", "Picks", true, 3), ("bob", "Kicks", true, 4)] {
                _ = try await library.createCollection(owner: owner, name: name, shared: shared)
                #expect(try await library.change(collection: name, owner: owner, host: "studio-a", fileID: Int64(id), remove: false))
            }
        }
        let expectations: [(String, String, [String])] = [
            ("fav:yes", "alice", ["studio-b:Bass Line 125 Em.wav", "studio-a:Deep Bass 124 Am.wav"]),
            ("fav:yes", "bob", ["studio-a:Kick 124.wav"]),
            ("bass type:loop fav:no", "alice", ["studio-a:Half Bass 62 Am.flac", "studio-a:Sub Bass 126 Am.wav"]),
            ("in:Picks", "alice", ["studio-a:Sub Bass 126 Am.wav"]),
            ("in:Picks", "bob", ["studio-a:Bass Stab C.wav"]),
            ("in:Kicks OR fav:yes", "alice", ["studio-b:Bass Line 125 Em.wav", "studio-a:Deep Bass 124 Am.wav", "studio-a:Kick 124.wav"]),
            ("-in:Kicks type:loop bpm:124", "alice", ["studio-a:Deep Bass 124 Am.wav"]),
        ]
        for (query, account, expected) in expectations {
            #expect(names(try await find(FindRequest(query: query, sort: .name), account: account)) == expected, "\(query) as \(account)")
        }
        // The facets' queries bind the account and owner too.
        let faceted = try await find(FindRequest(query: "in:Kicks OR fav:yes", limit: 1, facets: true), account: "alice")
        #expect(faceted.facets?.total == 3)
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(query: "in:Nothing"), account: "alice") }
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(query: "fav:yes")) }
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(query: "in:Picks")) }
        await #expect(throws: QueryError.self) { try await self.find(FindRequest(query: "fav:maybe"), account: "alice") }
    }

    @Test func aSilentHostsSoundsAreFoundButUnavailable() async throws {
        try await fill()
        _ = try postgres.psql("UPDATE catalog_host SET last_seen = now() - interval '2 hours' WHERE host = 'studio-b'")
        let page = try await find(FindRequest(query: "bass bpm:124..125", sort: .bpm))
        #expect(page.hits.map { "\($0.host):\($0.available)" } == ["studio-a:true", "studio-b:false"])
    }
}
