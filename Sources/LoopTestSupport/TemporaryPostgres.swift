#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real PostgreSQL from Debian's packages in a temporary folder, listening on a Unix socket in
/// that folder only, as an unprivileged user (the `postgres` account when the tests run as root:
/// PostgreSQL refuses to run as root). Stopped and started again by the tests that need an outage.
public final class TemporaryPostgres: @unchecked Sendable {
    public let folder = TemporaryDirectory("pg")
    private let binaries: String
    private let account: (uid: uid_t, gid: gid_t)?
    private var process: SpawnedProcess?

    /// Why PostgreSQL cannot be started here, or nil when it can.
    public static var unavailableReason: String? {
        guard binaryFolder() != nil else { return "PostgreSQL's initdb is missing (apt install postgresql)" }
        if getuid() == 0, getpwnam("postgres") == nil { return "running as root and there is no postgres account to run PostgreSQL as" }
        return nil
    }

    /// Debian keeps the server's programs in /usr/lib/postgresql/VERSION/bin; the newest is taken.
    static func binaryFolder() -> String? {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(base)/\(version)/bin/initdb") {
            return "\(base)/\(version)/bin"
        }
        return nil
    }

    /// Creates a cluster and starts it.
    public convenience init() throws {
        try self.init(making: { postgres in
            postgres.invocation(postgres.binaries + "/initdb", ["-D", postgres.dataFolder, "-U", "openloop", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        })
    }

    /// A hot standby of `primary`: copied with pg_basebackup, streaming its changes, answering
    /// reads, until `promote()` makes it a primary.
    public convenience init(standbyOf primary: TemporaryPostgres) throws {
        try self.init(making: { standby in
            standby.invocation(
                standby.binaries + "/pg_basebackup", ["-D", standby.dataFolder, "-R", "-X", "stream", "-c", "fast", "--no-sync", "-h", primary.socketFolder, "-U", "openloop"]
            )
        })
    }

    private init(making cluster: (TemporaryPostgres) -> (String, [String])) throws {
        guard let binaries = Self.binaryFolder() else { throw SambaServer.Failure(description: Self.unavailableReason ?? "no PostgreSQL") }
        self.binaries = binaries
        if getuid() == 0, let entry = getpwnam("postgres") {
            account = (entry.pointee.pw_uid, entry.pointee.pw_gid)
            _ = chown(folder.path, entry.pointee.pw_uid, entry.pointee.pw_gid)
        } else {
            account = nil
        }
        let (program, arguments) = cluster(self)
        let made = try ChildProcess.run(program, arguments)
        guard made.status == 0 else { throw SambaServer.Failure(description: "\((program as NSString).lastPathComponent) failed: \(made.output)") }
        try start()
    }

    public var dataFolder: String { folder.path + "/data" }
    /// The folder holding the server's socket (`.s.PGSQL.5432`).
    public var socketFolder: String { folder.path }
    /// The catalogue URL loopweb is given: user `openloop`, database `postgres`, over the socket.
    public var url: String { "postgresql://openloop@/postgres?host=\(socketFolder)" }

    /// Starts the server and returns once it accepts connections.
    public func start() throws {
        guard process == nil else { return }
        // fsync off: the tests stop it cleanly or not at all, and a run is short-lived. The server
        // counts descriptors it inherited from a busy test process against max_files_per_process
        // (1000 by default) and refuses to start when too few are left: the budget is raised.
        let (program, arguments) = invocation(
            binaries + "/postgres",
            ["-D", dataFolder, "-k", socketFolder, "-c", "listen_addresses=", "-c", "fsync=off", "-c", "max_connections=100", "-c", "max_files_per_process=8000"]
        )
        let server = try SpawnedProcess(program, arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        // A standby says it is "ready to accept read-only connections".
        guard server.standardError.wait(timeout: 30, until: { $0.joined().contains("ready to accept") }) else {
            server.terminate(signal: SIGINT)
            throw SambaServer.Failure(description: "PostgreSQL did not start: \(server.standardError.all.joined())")
        }
        process = server
    }

    /// Stops the server at once (a fast shutdown: connected clients are cut off).
    public func stop() {
        process?.terminate(signal: SIGINT)
        process = nil
    }

    /// Stops the server as a crash would (an immediate shutdown): what it has not sent its standby is lost to it.
    public func crash() {
        process?.terminate(signal: SIGQUIT)
        process = nil
    }

    /// Makes a standby a primary, returning once it takes writes.
    public func promote() throws {
        guard try psql("SELECT pg_promote(wait => true, wait_seconds => 30)") == "t" else { throw SambaServer.Failure(description: "the standby was not promoted within 30 s") }
    }

    /// Runs SQL with psql over the socket and returns its unaligned output.
    public func psql(_ sql: String) throws -> String {
        let psql = FileManager.default.isExecutableFile(atPath: binaries + "/psql") ? binaries + "/psql" : "/usr/bin/psql"
        let run = try ChildProcess.run(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketFolder, "-U", "openloop", "-d", "postgres", "-c", sql])
        guard run.status == 0 else { throw SambaServer.Failure(description: "psql failed: \(run.output)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// As root, a server program runs through setpriv as the postgres account.
    func invocation(_ program: String, _ arguments: [String]) -> (String, [String]) {
        guard let account else { return (program, arguments) }
        return ("/usr/bin/setpriv", ["--reuid=\(account.uid)", "--regid=\(account.gid)", "--clear-groups", "--", program] + arguments)
    }

    deinit { stop() }
}
