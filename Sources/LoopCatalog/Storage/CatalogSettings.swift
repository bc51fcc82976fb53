import Foundation
import PostgresNIO

/// Where the shared catalogue is and who this host is in it: `--catalog URL` and `--host NAME`.
public struct CatalogSettings: Sendable {
    public var postgres: PostgresClient.Configuration
    /// This server's name in the catalogue: its records are keyed by it.
    public var host: String
    /// How often the host says it is alive; a host silent for `silentAfter` shows as unavailable.
    public var heartbeat: Duration = .seconds(5)
    /// What the URL named, without its password: for messages.
    public var description: String

    public static let hostNameLimit = 63

    /// Reads a libpq-style URL: `postgresql://user:password@host:port/database?sslmode=disable|prefer|require`,
    /// or `postgresql://user@/database?host=/run/postgresql` for a Unix socket folder.
    public init(url text: String, host: String) throws(CatalogError) {
        guard let url = URLComponents(string: text), url.scheme == "postgresql" || url.scheme == "postgres" else {
            throw .badSettings("The catalogue's URL must start with postgresql://, such as postgresql://openloop@db.example/openloop.")
        }
        guard Self.isValidHost(host) else {
            throw .badSettings("The host's name must be 1 to \(Self.hostNameLimit) letters, digits, dots, dashes or underscores.")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = url.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = url.password.flatMap { $0.removingPercentEncoding }
        let database = url.path.isEmpty || url.path == "/" ? user : String(url.path.dropFirst())
        let port = url.port ?? 5432
        guard (1...65535).contains(port) else { throw .badSettings("The catalogue's port must be between 1 and 65535.") }
        if let folder = query["host"], folder.hasPrefix("/") {
            postgres = .init(unixSocketPath: folder + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
            description = "postgresql://\(user)@\(folder)/\(database)"
        } else {
            guard let server = url.host, !server.isEmpty else { throw .badSettings("The catalogue's URL names no server (or ?host=/socket/folder).") }
            let tls: PostgresClient.Configuration.TLS
            switch query["sslmode"] ?? "prefer" {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
            case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
            default: throw .badSettings("sslmode must be disable, prefer or require.")
            }
            postgres = .init(host: server, port: port, username: user, password: password, database: database, tls: tls)
            description = "postgresql://\(user)@\(server):\(port)/\(database)"
        }
        postgres.options.connectTimeout = .seconds(5)
        postgres.options.maximumConnections = 8
        self.host = host
    }

    /// How long a host may stay silent before its files show as unavailable: three missed heartbeats.
    public var silentAfter: Duration { heartbeat * 3 }

    static func isValidHost(_ name: String) -> Bool {
        (1...hostNameLimit).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
