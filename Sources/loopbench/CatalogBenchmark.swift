import ArgumentParser
import Foundation
import GRDB
import Logging
import LoopAPI
import LoopCatalog
import LoopCore
import LoopIndex
import LoopRPC
import LoopRPCNIO
import LoopTestSupport
import PostgresNIO

/// Publishing to the shared catalogue: a real loopd on a synthetic index, the publisher loopweb
/// runs, and a real PostgreSQL (initdb'd in the work folder's temporary sibling).
struct CatalogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Publishing to the shared catalogue on PostgreSQL: a whole copy per host, catch-up after an outage, and the Splice-like filter and facets in SQL and through loopweb.",
        discussion: """
            One loopd serves --rows synthetic rows (empty files); it is published under --hosts host names, so the \
            catalogue ends with rows × hosts rows. Then --changes records change while the publisher is stopped, and \
            the catch-up is timed. The searches run in process, then through the release loopweb beside loopbench \
            (curl, one connection). Needs Debian's postgresql.
            """
    )

    @Option(help: "Rows in the one loopd's index.")
    var rows = 250_000

    @Option(help: "Host names it is published under.")
    var hosts = 4

    @Option(help: "Records changed while publishing is stopped.")
    var changes = 10_000

    @Option(help: "Times each catalogue query runs.")
    var repeats = 200

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var rowsPerHost: Int
        var hosts: Int
        var catalogueRows: Int
        var wholeCopyRowsPerSecond: [Double]
        /// loopd's records read as the publisher reads them, written nowhere: the copy's ceiling.
        var readingAloneRowsPerSecond: Double
        var catchUpChanges: Int
        var catchUpSeconds: Double
        var catchUpRowsPerSecond: Double
        var spliceFilterSQLMs: Percentiles
        var facetsSQLMs: Percentiles
        /// Files the facets' query matches: what each facet query counts.
        var facetsMatched: Int
        /// The same two asked of loopweb over HTTP (`everywhere=true`), one connection kept.
        var spliceFilterHTTPMs: Percentiles
        var facetsHTTPMs: Percentiles
    }

    func run() async throws {
        if let reason = TemporaryPostgres.unavailableReason { throw ValidationError("Cannot run: \(reason).") }
        try await workFolder.useAsync(named: "loopbench-catalog") { work, library in try await measure(work: work, library: library) }
    }

    private func measure(work: String, library: String) async throws {
        var started = ContinuousClock.now
        let index = work + "/state/index.sqlite"
        try SyntheticLibrary.writeWithFiles(rows: rows, library: library, index: index)
        log("Wrote \(rows) rows and their empty files in \((ContinuousClock.now - started).seconds) s.")
        let daemon = try BenchDaemon(work: work, library: library, workers: 0)
        defer { daemon.stop() }
        let postgres = try TemporaryPostgres()
        var logger = Logger(label: "loopbench")
        logger.logLevel = .warning
        let settings = try CatalogSettings(url: postgres.url, host: "host-0")
        let client = CatalogDatabase(settings: settings, logger: logger)
        let running = Task { try await client.run() }
        defer { running.cancel() }

        started = .now
        let read = try await readAll(daemon.socket)
        let readingAlone = Double(read) / (ContinuousClock.now - started).seconds
        log("Read \(read) records from loopd alone at \(Int(readingAlone)) rows/s.")

        var copyRates: [Double] = []
        for host in 0..<hosts {
            started = .now
            let target = try await latestSequence(daemon.socket)
            try await publish(host: "host-\(host)", until: target, client: client, socket: daemon.socket, logger: logger)
            let seconds = (ContinuousClock.now - started).seconds
            copyRates.append(Double(rows) / seconds)
            log("host-\(host): \(rows) rows copied whole in \(String(format: "%.1f", seconds)) s.")
        }
        let total = Int(try postgres.psql("SELECT count(*) FROM catalog_sound")) ?? 0

        // Changes made while nothing publishes (as loopd's writer would log them), then the catch-up.
        let queue = try DatabaseQueue(path: index)
        try await queue.write { db in try db.execute(sql: "UPDATE file SET mtimeNs = mtimeNs + 1 WHERE id <= ?", arguments: [changes]) }
        try queue.close()
        let target = try await latestSequence(daemon.socket)
        started = .now
        try await publish(host: "host-0", until: target, client: client, socket: daemon.socket, logger: logger)
        let catchUp = (ContinuousClock.now - started).seconds
        log("Caught up with \(changes) changes in \(String(format: "%.2f", catchUp)) s.")

        // As autovacuum leaves a table after a bulk load: statistics, and pages marked all-visible
        // (index-only scans need them).
        _ = try postgres.psql("VACUUM ANALYZE catalog_sound")
        // The queries loopweb runs for `everywhere=true`: the query language compiled to SQL.
        let search = CatalogSearch(database: client, silentAfter: .seconds(3600), logger: logger)
        let filterRequest = FindRequest(query: "bass bpm:120..128 key:Am type:loop", sort: .name, limit: 50)
        // A filter that matches nothing would time an empty answer.
        let firstPage = try await search.find(filterRequest).hits.count
        guard firstPage == 50 else { throw ValidationError("The timed search matches \(firstPage) rows, not a page of 50.") }
        let filter = try await time { _ = try await search.find(filterRequest) }
        let facetsRequest = FindRequest(query: "type:loop bpm:120..128", limit: 1, facets: true)
        let facets = try await time { _ = try await search.find(facetsRequest) }
        let matched = try await search.find(facetsRequest).facets?.total ?? 0

        // The same two through loopweb's HTTP API, as the web app asks them.
        let rpc = try RPCClient(socketPath: daemon.socket)
        _ = try rpc.call(LoopMethod.accountAdd, params: AccountRequest(name: "bench", role: .admin))
        let token = try rpc.call(LoopMethod.tokenCreate, params: TokenRequest(account: "bench")).token
        let web = try BenchWeb(work: work, socket: daemon.socket, arguments: ["--no-web-app", "--catalog", postgres.url, "--host", "host-0"])
        defer { web.stop() }
        let curl = Curl(base: web.base, token: token)
        let paths = [
            "/api/v1/sounds?q=bass+bpm:120..128+key:Am+type:loop&everywhere=true&sort=name_asc&page_size=50",
            "/api/v1/sounds?q=type:loop+bpm:120..128&everywhere=true&facets=true&page_size=1",
        ]
        let statuses = try curl.statuses(paths)
        guard statuses == [200, 200] else { throw ValidationError("loopweb answered the catalogue searches with \(statuses).") }
        var http: [[Double]] = []
        for path in paths {
            _ = try curl.times(Array(repeating: path, count: 5), metric: "time_total")
            http.append(try curl.times(Array(repeating: path, count: repeats), metric: "time_total").map { $0 * 1000 })
        }
        let report = Report(
            rowsPerHost: rows, hosts: hosts, catalogueRows: total, wholeCopyRowsPerSecond: copyRates.map { ($0 * 10).rounded() / 10 }, readingAloneRowsPerSecond: readingAlone.rounded(),
            catchUpChanges: changes, catchUpSeconds: catchUp, catchUpRowsPerSecond: Double(changes) / catchUp,
            spliceFilterSQLMs: Percentiles(filter), facetsSQLMs: Percentiles(facets), facetsMatched: matched,
            spliceFilterHTTPMs: Percentiles(http[0]), facetsHTTPMs: Percentiles(http[1])
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// loopd's latest change sequence.
    private func latestSequence(_ socket: String) async throws -> Int64 {
        try await AsyncRPCConnection.with(socketPath: socket) { connection in
            try await connection.call(LoopMethod.subscribe, SubscribeRequest()).sequence
        }
    }

    /// Reads every record from loopd in the publisher's pages, decoded as it decodes them.
    private func readAll(_ socket: String) async throws -> Int {
        try await AsyncRPCConnection.with(socketPath: socket, maxLineBytes: CatalogPublisher.replyLineBytes) { reader in
            var after: Int64 = 0
            var count = 0
            while true {
                let page = try await reader.call(LoopMethod.records, RecordsRequest(after: after, limit: CatalogPublisher.recordsPerCall))
                count += page.records.count
                guard let next = page.next else { return count }
                after = next
            }
        }
    }

    /// Runs the publisher as loopweb does until the catalogue holds the host's changes through `target`.
    private func publish(host: String, until target: Int64, client: CatalogDatabase, socket: String, logger: Logger) async throws {
        let publisher = CatalogPublisher(store: CatalogStore(database: client, host: host, logger: logger), socketPath: socket, heartbeat: .seconds(5), logger: logger)
        let task = Task { try await publisher.run() }
        defer { task.cancel() }
        while publisher.progress.sequence < target || publisher.progress.failureReason != nil {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    private func time(_ body: () async throws -> Void) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            try await body()
            samples.append((ContinuousClock.now - start).seconds * 1000)
        }
        return samples
    }
}
