import Foundation
import PostgresNIO

/// One PostgreSQL server of the catalogue: how to reach it, and its name for messages.
public struct CatalogServer: Sendable {
    public var postgres: PostgresClient.Configuration
    /// What the URL named, without its password.
    public var description: String
    /// The URL's sslmode: disable, prefer or require.
    var tlsMode = "disable"

    /// The same server for one connection of its own, outside the pool: what asks whether a server
    /// takes writes, so that the answer does not wait behind the pool's queue.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socket = postgres.unixSocketPath {
            configuration = .init(unixSocketPath: socket, username: postgres.username, password: postgres.password, database: postgres.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch tlsMode {
            case "disable": tls = .disable
            case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(
                host: postgres.host ?? "localhost", port: postgres.port ?? 5432, username: postgres.username, password: postgres.password,
                database: postgres.database, tls: tls
            )
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}

/// Where the shared catalogue is and who this host is in it: `--catalog URL`, `--catalog-read URL`
/// and `--host NAME`.
public struct CatalogSettings: Sendable {
    /// The servers named by the catalogue's URL, in its order: writes go to the first that takes
    /// them, so a standby listed after its primary takes over once promoted.
    public var servers: [CatalogServer]
    /// Servers that answer searches (a streaming replica): empty when searches go where writes do.
    public var replicas: [CatalogServer] = []
    /// This server's name in the catalogue: its records are keyed by it.
    public var host: String
    /// How often the host says it is alive; a host silent for `silentAfter` shows as unavailable.
    public var heartbeat: Duration = .seconds(5)

    public static let hostNameLimit = 63

    /// Reads a libpq-style URL: `postgresql://user:password@host:port/database?sslmode=disable|prefer|require`,
    /// or `postgresql://user@/database?host=/run/postgresql` for a Unix socket folder. Several servers
    /// are listed as libpq lists them: `postgresql://user@db-1:5432,db-2:5432/database`, or
    /// `?host=/folder-1,/folder-2&port=5432,5433`.
    public init(url text: String, host: String) throws(CatalogError) {
        guard Self.isValidHost(host) else {
            throw .badSettings("The host's name must be 1 to \(Self.hostNameLimit) letters, digits, dots, dashes or underscores.")
        }
        servers = try Self.servers(url: text)
        self.host = host
    }

    /// Sends searches to the servers of `text` (`--catalog-read`), a replica of the catalogue.
    public mutating func readFrom(url text: String) throws(CatalogError) {
        replicas = try Self.servers(url: text)
    }

    /// The servers, for messages: `postgresql://openloop@db-1:5432/openloop, ...`.
    public var description: String { servers.map(\.description).joined(separator: ", ") }

    /// How long a host may stay silent before its files show as unavailable: three missed heartbeats.
    public var silentAfter: Duration { heartbeat * 3 }

    static func isValidHost(_ name: String) -> Bool {
        (1...hostNameLimit).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// Splits a URL naming several servers into one URL per server, then reads each.
    static func servers(url text: String) throws(CatalogError) -> [CatalogServer] {
        guard let schemeEnd = text.range(of: "://"), ["postgresql", "postgres"].contains(text[..<schemeEnd.lowerBound]) else {
            throw .badSettings("The catalogue's URL must start with postgresql://, such as postgresql://openloop@db.example/openloop.")
        }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let userInfo = authority.lastIndex(of: "@").map { authority[...$0] } ?? ""
        let hostList = authority[(authority.lastIndex(of: "@").map(authority.index(after:)) ?? authority.startIndex)...]
        let scheme = text[..<schemeEnd.upperBound]
        let tail = rest[authorityEnd...]
        var urls = hostList.split(separator: ",", omittingEmptySubsequences: false).map { "\(scheme)\(userInfo)\($0)\(tail)" }
        // Socket folders listed in the query: one URL per folder, each with its own port when several are given.
        if var components = URLComponents(string: "\(scheme)\(userInfo)\(tail)"), let folders = components.queryItems?.first(where: { $0.name == "host" })?.value,
           folders.contains(",") {
            let ports = (components.queryItems?.first { $0.name == "port" }?.value ?? "").split(separator: ",").map(String.init)
            let list = folders.split(separator: ",").map(String.init)
            guard ports.count <= 1 || ports.count == list.count else { throw .badSettings("The catalogue's URL lists \(list.count) hosts but \(ports.count) ports.") }
            urls = list.enumerated().map { index, folder in
                components.queryItems = (components.queryItems ?? []).filter { $0.name != "host" && $0.name != "port" }
                    + [URLQueryItem(name: "host", value: folder)] + (ports.isEmpty ? [] : [URLQueryItem(name: "port", value: ports.count == 1 ? ports[0] : ports[index])])
                return components.string ?? ""
            }
        }
        return try urls.map { url throws(CatalogError) in try server(url: url) }
    }

    /// One server's URL.
    static func server(url text: String) throws(CatalogError) -> CatalogServer {
        guard let url = URLComponents(string: text) else {
            throw .badSettings("The catalogue's URL is not a URL; write it as postgresql://user@host:port/database.")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = url.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = url.password.flatMap { $0.removingPercentEncoding }
        let database = url.path.isEmpty || url.path == "/" ? user : String(url.path.dropFirst())
        let port = url.port ?? query["port"].map { Int($0) ?? 0 } ?? 5432
        guard (1...65535).contains(port) else {
            throw .badSettings("The catalogue's port must be between 1 and 65535.")
        }
        var server: CatalogServer
        if let folder = query["host"], folder.hasPrefix("/") {
            server = CatalogServer(
                postgres: .init(unixSocketPath: folder + "/.s.PGSQL.\(port)", username: user, password: password, database: database),
                description: "postgresql://\(user)@\(folder):\(port)/\(database)"
            )
        } else {
            guard let host = url.host, !host.isEmpty else { throw .badSettings("The catalogue's URL names no server (or ?host=/socket/folder).") }
            let tls: PostgresClient.Configuration.TLS
            let mode: String
            switch query["sslmode"] ?? "prefer" {
            case "disable": (tls, mode) = (.disable, "disable")
            case "prefer", "allow": (tls, mode) = (.prefer(.makeClientConfiguration()), "prefer")
            case "require", "verify-ca", "verify-full": (tls, mode) = (.require(.makeClientConfiguration()), "require")
            default: throw .badSettings("sslmode must be disable, prefer or require.")
            }
            server = CatalogServer(
                postgres: .init(host: host, port: port, username: user, password: password, database: database, tls: tls),
                description: "postgresql://\(user)@\(host):\(port)/\(database)", tlsMode: mode
            )
        }
        server.postgres.options.connectTimeout = .seconds(5)
        server.postgres.options.maximumConnections = 8
        return server
    }
}
