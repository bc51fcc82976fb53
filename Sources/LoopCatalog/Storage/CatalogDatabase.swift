import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The catalogue's PostgreSQL servers as one database. Writes go to the server that takes them:
/// when it fails, the next write asks every listed server and goes to the one out of recovery, so
/// a standby promoted in its place takes over (as libpq's target_session_attrs=read-write would).
/// Searches go to the replicas when some are named, and to the writable server while none
/// answers. postgres-nio's client talks to a single server, hence one client per server here; all
/// run for as long as this service does.
public final class CatalogDatabase: Service, Sendable {
    struct Server: Sendable {
        let client: PostgresClient
        let description: String
        /// For questions asked on a connection of their own.
        let settings: CatalogServer
    }

    enum ReplicaHealth {
        case unknown
        case answered(at: ContinuousClock.Instant)
        case setAside(until: ContinuousClock.Instant)
    }

    let servers: [Server]
    let replicas: [Server]
    let logger: Logger
    /// Which server takes writes; nil until found, and again after a failure that may mean failover.
    private let writable: Mutex<Int?>
    private let replicaHealth: Mutex<[ReplicaHealth]>
    /// The newest timeline written to: a server on an older one is an old primary.
    private let newestTimeline = Atomic<Int32>(0)
    /// Rotates searches over the replicas.
    private let nextReplica = Atomic<Int>(0)

    /// How long a replica's answer vouches for it before it is asked again, and how long one that
    /// failed is left out.
    static let trustAnswerFor = Duration.seconds(5)
    /// How long a request waits for a connection before the server is asked whether it is there.
    static let leaseCheckAfter = Duration.seconds(3)
    static let setAsideFor = Duration.seconds(30)
    /// How long the other servers may take to say whether they take writes once one has.
    static let otherAnswersWithin = Duration.seconds(1)

    public init(settings: CatalogSettings, logger: Logger) {
        // The pool says each failed connection attempt at info level; what the catalogue's users
        // need (a server down, writes moved) is said here, once.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .warning)
        let make = { (server: CatalogServer) in Server(client: PostgresClient(configuration: server.postgres, backgroundLogger: poolLogger), description: server.description, settings: server) }
        servers = settings.servers.map(make)
        replicas = settings.replicas.map(make)
        self.logger = logger
        // With one server there is nothing to choose: it is asked no question first.
        writable = Mutex(servers.count == 1 ? 0 : nil)
        replicaHealth = Mutex(Array(repeating: .unknown, count: replicas.count))
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for server in servers + replicas {
                group.addTask { await server.client.run() }
            }
        }
    }

    /// Runs `body` on a connection to the server taking writes.
    public func writing<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let index = try await writableServer()
        do {
            return try await Self.withConnection(servers[index], logger: logger, body)
        } catch {
            if servers.count > 1, Self.mayMeanFailover(error) {
                writable.withLock { if $0 == index { $0 = nil } }
            }
            throw error
        }
    }

    /// Runs `body` in one transaction on the server taking writes.
    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let logger = self.logger
        return try await writing { connection in try await connection.catalogTransaction(logger: logger) { connection in try await body(connection) } }
    }

    /// Runs a read-only `body` on a replica when one answers, else where writes go.
    public func reading<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        guard let replica = await answeringReplica() else { return try await writing(body) }
        do {
            return try await Self.withConnection(replica, logger: logger, body)
        } catch where Self.mayMeanFailover(error) {
            setAside(replica, error)
            return try await writing(body)
        }
    }

    /// The index of the server taking writes: every server is asked at once, and of those that take
    /// writes the one on the newest timeline is chosen. An old primary started again after its
    /// standby was promoted also takes writes, on the timeline it left: it is passed over, and one
    /// on an older timeline than this process has written to is never chosen. Once one server has
    /// answered, the others have `otherAnswersWithin` to do so (a server that is down is not waited for).
    func writableServer() async throws -> Int {
        if let index = writable.withLock({ $0 }) { return index }
        let candidates = await withTaskGroup(of: (Int, Int32)?.self) { group -> [(index: Int, timeline: Int32)] in
            for (index, server) in servers.enumerated() {
                group.addTask { await Self.writeTimeline(server, logger: self.logger).map { (index, $0) } }
            }
            var found: [(index: Int, timeline: Int32)] = []
            var deadline: ContinuousClock.Instant?
            while let answer = await group.next() {
                if let (index, timeline) = answer {
                    found.append((index, timeline))
                    if found.count == 1 {
                        let until = ContinuousClock.now + Self.otherAnswersWithin
                        deadline = until
                        group.addTask { try? await Task.sleep(until: until); return nil }
                    }
                }
                if found.count == servers.count { break }
                if let deadline, ContinuousClock.now >= deadline { break }
            }
            group.cancelAll()
            return found
        }
        let newestSeen = newestTimeline.load(ordering: .sequentiallyConsistent)
        guard let chosen = candidates.max(by: { $0.timeline < $1.timeline }), chosen.timeline >= newestSeen else {
            if let old = candidates.first {
                logger.warning("\(servers[old.index].description) takes writes on timeline \(old.timeline), older than timeline \(newestSeen) written to before: an old primary started again after a failover. It is not written to.")
            }
            throw CatalogError.unreachable("none of its \(servers.count) servers takes writes (each is down, a standby not yet promoted, or an old primary).")
        }
        for old in candidates where old.timeline < chosen.timeline {
            logger.warning("\(servers[old.index].description) takes writes on timeline \(old.timeline), \(servers[chosen.index].description) on timeline \(chosen.timeline): the first is an old primary started again after a failover. It is not written to.")
        }
        newestTimeline.store(chosen.timeline, ordering: .sequentiallyConsistent)
        writable.withLock { $0 = chosen.index }
        logger.notice("The catalogue's writes go to \(servers[chosen.index].description).")
        return chosen.index
    }

    /// A replica to read from: one heard from lately, or one that answers a question now. One that
    /// does not answer is set aside for a while, so that searches do not wait on it again and again.
    func answeringReplica() async -> Server? {
        guard !replicas.isEmpty else { return nil }
        let now = ContinuousClock.now
        let start = nextReplica.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in replicas.indices {
            let index = (start + offset) % replicas.count
            let health = replicaHealth.withLock { $0[index] }
            if case let .setAside(until) = health, until > now { continue }
            if case let .answered(at) = health, now - at < Self.trustAnswerFor { return replicas[index] }
            if await Self.answers(replicas[index], logger: logger) {
                replicaHealth.withLock { $0[index] = .answered(at: .now) }
                return replicas[index]
            }
            setAside(replicas[index], CatalogError.unreachable("it did not answer."))
        }
        return nil
    }

    func setAside(_ replica: Server, _ error: any Error) {
        guard let index = replicas.firstIndex(where: { $0.description == replica.description }) else { return }
        let now = ContinuousClock.now
        let already = replicaHealth.withLock { health in
            defer { health[index] = .setAside(until: now + Self.setAsideFor) }
            if case let .setAside(until) = health[index], until > now { return true }
            return false
        }
        // Searches that failed together say so once.
        guard !already else { return }
        logger.warning("Catalogue searches go to the primary for \(Self.setAsideFor): the replica \(replica.description) failed. \(CatalogError.reason(error))")
    }

    /// Whether the server answers (and, when asked, is out of recovery and not read-only), on a
    /// connection of its own: the pool would hold a request for a server it cannot reach until its
    /// circuit breaker trips (a minute), while a connection fails at once or after 5 s.
    static func answers(_ server: Server, logger: Logger) async -> Bool {
        await ask(server, "SELECT true", as: Bool.self, logger: logger) ?? false
    }

    /// The timeline the server writes on (its WAL file names begin with it), when it is out of
    /// recovery and not read-only; nil when it takes no writes or does not answer.
    static func writeTimeline(_ server: Server, logger: Logger) async -> Int32? {
        await ask(
            server,
            """
            SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int
            WHERE NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'
            """,
            as: Int32.self, logger: logger
        )
    }

    /// The one value `question` gives, asked on a connection of the server's own; nil for no row,
    /// an error, or no answer.
    static func ask<Value: PostgresDecodable & Sendable>(_ server: Server, _ question: PostgresQuery, as _: Value.Type, logger: Logger) async -> Value? {
        guard let configuration = try? server.settings.connectionConfiguration(),
              let connection = try? await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger) else { return nil }
        let answer = try? await ClosedConnectionGuard.run(on: connection, server: server.description) { connection -> Value? in
            var answer: Value?
            for try await value in try await connection.query(question, logger: logger).decode(Value.self) { answer = value }
            return answer
        }
        try? await connection.close()
        return answer ?? nil
    }

    /// Runs `body` on a connection of `server`'s pool. The pool holds a request for a server it
    /// cannot reach until its circuit breaker trips (a minute): when no connection comes within a
    /// few seconds, the server is asked directly, and the request is given up if it does not answer.
    /// (A live server that is merely slow, or a busy pool, is waited for.)
    static func withConnection<Result: Sendable>(
        _ server: Server, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let leased = LeaseFlag()
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await server.client.withConnection { connection in
                    leased.value.store(true, ordering: .sequentiallyConsistent)
                    return try await ClosedConnectionGuard.run(on: connection, server: server.description, body)
                }
            }
            group.addTask {
                try await Task.sleep(for: leaseCheckAfter)
                if leased.value.load(ordering: .sequentiallyConsistent) { return nil }
                if await answers(server, logger: logger) { return nil }
                if leased.value.load(ordering: .sequentiallyConsistent) { return nil }
                throw NoConnection(server: server.description)
            }
            while let result = try await group.next() {
                if let result {
                    group.cancelAll()
                    return result
                }
            }
            throw CancellationError()
        }
    }

    /// Whether an error may mean the server no longer takes writes: it could not be reached, it
    /// closed the connection, is shutting down, or refuses writes. Errors of the query itself do not.
    static func mayMeanFailover(_ error: any Error) -> Bool {
        if error is NoConnection { return true }
        if error is CatalogError || error is CatalogLibraryError { return false }
        guard let error = error as? PSQLError else { return true }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return true }
        return state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006"
    }
}

/// Whether a connection was leased: shared by the lease and the check on it.
final class LeaseFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// No connection to a server came, and the server did not answer when asked directly.
struct NoConnection: Error, CustomStringConvertible {
    var server: String
    var description: String { "\(server) does not answer." }
}
