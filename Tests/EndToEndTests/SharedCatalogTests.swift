#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// Hosts publishing to a shared catalogue: real loopd and loopweb processes per host, and a real
/// PostgreSQL stopped and killed under them.
@Suite(.serialized, .enabled(if: TemporaryPostgres.unavailableReason == nil, "\(TemporaryPostgres.unavailableReason ?? "")"))
final class SharedCatalogTests {
    let postgres: TemporaryPostgres
    let studio = DaemonProcess()
    var web: SpawnedProcess?

    init() throws {
        postgres = try TemporaryPostgres()
        try studio.start()
        try startWeb()
    }

    deinit {
        web?.terminate()
        _ = studio.stop()
    }

    func startWeb(catalog: String? = nil) throws {
        let web = try SpawnedProcess(
            try DaemonProcess.binary("loopweb"),
            ["--socket", studio.socket, "--listen", "127.0.0.1:0", "--no-web-app", "--state-dir", studio.folder.path + "/web",
             "--catalog", catalog ?? postgres.url, "--host", "studio", "--catalog-heartbeat", "1"],
            environment: studio.environment
        )
        self.web = web
        #expect(web.standardError.wait(timeout: 30) { $0.joined().contains("loopweb is serving") }, "\(web.standardError.all.joined())")
    }

    /// The catalogue's rows of the host, as `id:hash`, in id order.
    func catalogue(on server: TemporaryPostgres? = nil) throws -> [String] {
        let text = try (server ?? postgres).psql("SELECT file_id || ':' || coalesce(hash, '-') FROM catalog_sound WHERE host = 'studio' ORDER BY file_id")
        return text.isEmpty ? [] : text.split(separator: "\n").map(String.init)
    }

    /// loopd's own records in the same form: what the catalogue must hold.
    func index() throws -> [String] {
        try studio.search().sorted { $0.id < $1.id }.map { "\($0.id):\($0.hash ?? "-")" }
    }

    func write(_ count: Int, from first: Int = 0, folder: String = "Burst") throws {
        for index in first..<(first + count) {
            try SignalWriter.write(
                path: studio.folder.file("library/\(folder)/Hit \(index).wav"), kind: .wav16,
                signal: .sine(frequency: 110 + Double(index % 400), amplitude: 0.3), duration: 0.05, sampleRate: 8000, channels: 1
            )
        }
    }

    @Test func aNewFileReachesTheCatalogueWithItsHash() throws {
        #expect(eventually { try postgres.psql("SELECT count(*) FROM catalog_host WHERE host = 'studio'") == "1" })
        let started = Date()
        try SignalWriter.write(path: studio.folder.file("library/Loops/Deep Bass 124.wav"), kind: .wav16,
                               signal: .sine(frequency: 55, amplitude: 0.5), duration: 1, sampleRate: 44100, channels: 2)
        #expect(eventually { try !catalogue().isEmpty })
        print("A dropped file was in the catalogue after \(Int(Date().timeIntervalSince(started) * 1000)) ms (analysis included).")
        let record = try #require(try studio.search().first)
        #expect(try catalogue() == ["\(record.id):\(record.hash ?? "-")"])
        #expect(try postgres.psql("SELECT relative_path || '|' || (record->>'path') FROM catalog_sound") == "Loops/Deep Bass 124.wav|\(record.path)")
        #expect(try postgres.psql("SELECT count(*) FROM catalog_sound WHERE words @@ to_tsquery('simple', 'deep & bass')") == "1")
        // The heartbeat keeps the host's last_seen within a few seconds of now.
        #expect(try postgres.psql("SELECT now() - last_seen < interval '10 seconds' FROM catalog_host") == "t")
    }

    /// PostgreSQL stopped during a burst of 1,000 new files, then started: the catalogue converges
    /// to loopd's index with nothing lost or doubled; then the same after loopweb is killed mid-publish.
    @Test func outagesAndKillsLoseAndDoubleNothing() throws {
        #expect(eventually { try postgres.psql("SELECT count(*) FROM catalog_host") == "1" })
        postgres.stop()
        try write(1000)
        try studio.sync()
        let expected = try index()
        #expect(expected.count == 1000)
        try postgres.start()
        #expect(eventually(120) { try catalogue() == expected }, "the catalogue converged after the outage")
        #expect(try postgres.psql("SELECT count(*) = count(DISTINCT file_id) FROM catalog_sound") == "t")

        // Kill loopweb while it publishes a second burst (and removals), then start it again.
        for index in 0..<200 { try FileManager.default.removeItem(atPath: studio.folder.file("library/Burst/Hit \(index).wav")) }
        try write(500, from: 1000)
        #expect(eventually { try postgres.psql("SELECT count(*) FROM catalog_sound") != "1000" })
        web?.terminate(signal: SIGKILL)
        try studio.sync()
        let after = try index()
        #expect(after.count == 1300)
        try startWeb()
        #expect(eventually(120) { try catalogue() == after }, "the catalogue converged after loopweb was killed")
        let published = try postgres.psql("SELECT published_sequence FROM catalog_host")
        #expect(Int64(published) ?? 0 >= 1700, "every change is acknowledged: \(published)")
    }

    /// The catalogue's primary crashes while a burst is published and its standby is promoted:
    /// loopweb, given both, publishes to the new primary from where that one stands, so the
    /// catalogue converges with nothing lost or doubled, and the heartbeat goes on.
    @Test
    func publishingResumesOnAPromotedStandby() throws {
        let standby = try TemporaryPostgres(standbyOf: postgres)
        web?.terminate()
        try startWeb(catalog: "postgresql://openloop@/postgres?host=\(postgres.socketFolder),\(standby.socketFolder)")
        #expect(eventually { try postgres.psql("SELECT count(*) FROM catalog_host") == "1" })
        try write(1000)
        #expect(eventually { (Int(try postgres.psql("SELECT count(*) FROM catalog_sound")) ?? 0) > 0 })
        let before = try postgres.psql("SELECT count(*) FROM catalog_sound")
        postgres.crash()
        let started = Date()
        try standby.promote()
        try studio.sync()
        let expected = try index()
        #expect(expected.count == 1000)
        #expect(eventually(120) { try catalogue(on: standby) == expected }, "the catalogue converged on the promoted standby: \(web?.standardError.all.joined() ?? "")")
        print("The primary crashed with \(before) of 1,000 files published; the promoted standby held all \(Int(Date().timeIntervalSince(started) * 1000)) ms later.")
        #expect(try standby.psql("SELECT count(*) = count(DISTINCT file_id) FROM catalog_sound") == "t")
        #expect(eventually { try standby.psql("SELECT now() - last_seen < interval '3 seconds' FROM catalog_host") == "t" }, "heartbeats reach the new primary")
        let switched = web?.standardError.wait(timeout: 30) { $0.joined().contains("The catalogue's writes go to postgresql://openloop@\(standby.socketFolder)") }
        #expect(switched == true, "\(web?.standardError.all.joined() ?? "")")
    }

    /// When loopd no longer keeps the changes since the catalogue's sequence, the host is copied
    /// whole and rows of files gone meanwhile are swept.
    @Test func aHostTooFarBehindIsCopiedWholeAndSwept() throws {
        try write(20)
        try studio.sync()
        let expected = try index()
        #expect(eventually { try catalogue() == expected })
        web?.terminate()
        // As if the catalogue were restored from a later backup: loopd never gave out this sequence.
        _ = try postgres.psql("""
            UPDATE catalog_host SET published_sequence = 1000000000;
            INSERT INTO catalog_sound (host, file_id, load_generation, record, relative_path, size, added_at)
            VALUES ('studio', 999999, 0, '{}', 'Gone/Old.wav', 1, 0)
            """)
        try startWeb()
        #expect(eventually { try catalogue() == expected }, "the stale row is swept")
        let published = Int64(try postgres.psql("SELECT published_sequence FROM catalog_host")) ?? 0
        #expect(published < 1_000_000_000 && published > 0)
        let copied = web?.standardError.wait(timeout: 30) { $0.joined().contains("Copied 20 records to the catalogue; 1 that are gone were removed.") }
        #expect(copied == true, "\(web?.standardError.all.joined() ?? "")")
    }
}
