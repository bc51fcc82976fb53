import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import LoopCatalog
import LoopCore
import LoopRPC
import LoopRPCNIO
import LoopWeb
import PostgresNIO
import ServiceLifecycle
import UnixSignals

/// `loopweb`: the library over HTTP, for the accounts loopd keeps. loopd itself has no network
/// access; loopweb reaches it over its Unix socket.
@main
struct Loopweb: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loopweb",
        abstract: "Serve the library over HTTP: search, sounds, downloads and uploads under /api/v1/, for accounts that log in.",
        discussion: """
            Accounts are kept by loopd: loopctl user add NAME --role reader|writer|admin (the password on stdin), \
            loopctl user invite NAME, loopctl token create NAME. Browsers log in with POST /api/v1/session and get a \
            cookie; scripts send Authorization: Bearer TOKEN. GET /api/v1/health needs no login. \
            loopweb runs as root or as loopd's own user (loopd checks logins and tokens for them only).
            """
    )

    @Option(help: ArgumentHelp("loopd's socket.", valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("Address and port to listen on (port 0: any free one).", valueName: "address:port"))
    var listen = "127.0.0.1:8480"

    @Option(name: .customLong("public-url"), help: ArgumentHelp("The URL clients reach loopweb at (behind a reverse proxy), for the links in replies.", valueName: "url"))
    var publicURL: String?

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp("Where loopweb keeps its own state (the key of its download links); $STATE_DIRECTORY under systemd, else ~/.local/state/loopweb.", valueName: "dir")
    )
    var stateDirectory: String?

    @Option(name: .customLong("max-upload-bytes"), help: ArgumentHelp("The largest file an upload may bring.", valueName: "bytes"))
    var maxUploadBytes: Int64 = 4 << 30

    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp("A reverse proxy's address whose X-Forwarded-For names the client (for login limits); repeat for several.", valueName: "address")
    )
    var trustedProxies: [String] = []

    @Option(
        name: .customLong("identity-header"),
        help: ArgumentHelp(
            "A header in which the trusted proxies name the user they authenticated, such as Cf-Access-Authenticated-User-Email; the account of that name is logged in.",
            valueName: "name"
        )
    )
    var identityHeader: String?

    @Option(
        name: .customLong("identity-assertion-keys"),
        help: ArgumentHelp(
            "Where the trusted proxy publishes the keys it signs its users' assertions with (Cloudflare Access: https://TEAM.cloudflareaccess.com/cdn-cgi/access/certs), or a file of them; the user is then the verified assertion's email, and a request whose assertion fails is refused.",
            valueName: "url"
        )
    )
    var identityAssertionKeys: String?

    @Option(name: .customLong("identity-assertion-audience"), help: ArgumentHelp("The audience tag the assertions must be made for (Cloudflare Access: the application's AUD tag).", valueName: "tag"))
    var identityAssertionAudience: String?

    @Option(name: .customLong("identity-assertion-header"), help: ArgumentHelp("The header that carries the assertion.", valueName: "name"))
    var identityAssertionHeader = "Cf-Access-Jwt-Assertion"

    @Option(
        name: .customLong("spotlight"),
        help: ArgumentHelp(
            "Answer Samba's Spotlight searches (Finder search on the share; spotlight backend = elasticsearch) on this loopback address and port, such as 127.0.0.1:9200.",
            valueName: "address:port"
        )
    )
    var spotlight: String?

    @Option(name: .customLong("web-root"), help: ArgumentHelp("The web app's folder (index.html and its modules); by default the one installed beside loopweb. --no-web-app serves the API alone.", valueName: "dir"))
    var webRoot: String?

    @Flag(name: .customLong("no-web-app"), help: "Serve the API only, no web app at /.")
    var noWebApp = false

    @Option(name: .customLong("quota-bytes"), help: ArgumentHelp("Bytes the uploads of one account (other than an admin's) may take in the library; none by default.", valueName: "bytes"))
    var quotaBytes: Int64?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Seconds a connection may stay without a request in progress before it is closed.", valueName: "seconds"))
    var idleTimeout = 60

    @Option(name: .customLong("empty-trash-after-days"), help: ArgumentHelp("Deleted files stay in their root's trash folder this long.", valueName: "days"))
    var trashDays = 30

    @Option(
        name: .customLong("catalog"),
        help: ArgumentHelp(
            "Publish this server's records to a shared catalogue on PostgreSQL, such as postgresql://openloop@db.example/openloop (or postgresql://openloop@/openloop?host=/run/postgresql); a primary and its standbys are listed as postgresql://openloop@db-1,db-2/openloop, and writes go to whichever takes them. $LOOPWEB_CATALOG also names it, keeping a password out of the process list.",
            valueName: "url"
        )
    )
    var catalog: String?

    @Option(
        name: .customLong("catalog-read"),
        help: ArgumentHelp(
            "Answer catalogue searches from this replica of the catalogue (a hot standby), in the same form as --catalog; $LOOPWEB_CATALOG_READ also names it. Searches go to the primary while the replica does not answer.",
            valueName: "url"
        )
    )
    var catalogRead: String?

    @Option(name: .customLong("host"), help: ArgumentHelp("This server's name in the shared catalogue; the machine's host name by default.", valueName: "name"))
    var hostName: String?

    @Option(
        name: .customLong("peer-url"),
        help: ArgumentHelp(
            "The URL at which the catalogue's other servers reach this loopweb for files their users download; by default --public-url, else the address loopweb listens on.",
            valueName: "url"
        )
    )
    var peerURL: String?

    @Option(name: .customLong("catalog-heartbeat"), help: ArgumentHelp("Seconds between the heartbeats that show this server as available in the catalogue.", valueName: "seconds"))
    var catalogHeartbeat = 5

    func validate() throws {
        guard catalogHeartbeat > 0 else { throw ValidationError("--catalog-heartbeat must be at least 1 second.") }
        if let catalog = catalogURL {
            do {
                var settings = try CatalogSettings(url: catalog, host: catalogHost)
                if let catalogReadURL { try settings.readFrom(url: catalogReadURL) }
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if catalogRead != nil, catalogURL == nil { throw ValidationError("--catalog-read needs --catalog: writes and heartbeats go to the catalogue's primary.") }
        if let quotaBytes, quotaBytes < 0 { throw ValidationError("--quota-bytes must not be negative.") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout must be at least 1 second.") }
        guard trashDays >= 0 else { throw ValidationError("--empty-trash-after-days must not be negative.") }
        guard maxUploadBytes > 0 else { throw ValidationError("--max-upload-bytes must be positive.") }
        if let identityHeader {
            guard !trustedProxies.isEmpty else { throw ValidationError("--identity-header needs --trusted-proxy: only a proxy's word is believed.") }
            guard Self.isHeaderName(identityHeader) else { throw ValidationError("--identity-header must be a header's name.") }
        }
        if identityAssertionKeys != nil || identityAssertionAudience != nil {
            guard identityAssertionKeys?.isEmpty == false, identityAssertionAudience?.isEmpty == false else {
                throw ValidationError("--identity-assertion-keys and --identity-assertion-audience go together: the keys check the signature, the audience that it was made for this application.")
            }
            guard !trustedProxies.isEmpty else { throw ValidationError("--identity-assertion-keys needs --trusted-proxy: assertions are read from the proxy alone.") }
            guard Self.isHeaderName(identityAssertionHeader) else {
                throw ValidationError("--identity-assertion-header must be a header's name.")
            }
        }
        if let spotlight {
            guard let (host, _) = Self.address(spotlight) else { throw ValidationError("--spotlight must be ADDRESS:PORT, such as 127.0.0.1:9200.") }
            guard SpotlightEndpoint.isLoopback(host) else {
                throw ValidationError("--spotlight must be a loopback address: Samba sends no credentials, so the endpoint is for smbd on this machine only.")
            }
        }
        guard Self.address(listen) != nil else { throw ValidationError("--listen must be ADDRESS:PORT, such as 127.0.0.1:8480.") }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ValidationError("--public-url must start with http:// or https://.")
        }
        if let peerURL, !(peerURL.hasPrefix("http://") || peerURL.hasPrefix("https://")) {
            throw ValidationError("--peer-url must start with http:// or https://.")
        }
    }

    var catalogURL: String? { catalog ?? ProcessInfo.processInfo.environment["LOOPWEB_CATALOG"] }
    var catalogReadURL: String? { catalogRead ?? ProcessInfo.processInfo.environment["LOOPWEB_CATALOG_READ"] }
    var catalogHost: String { hostName ?? ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost" }

    /// An HTTP field name: one or more of RFC 9110's token characters.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+.^_`|~-".contains($0)) }
    }

    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        guard let (host, port) = Self.address(listen) else { return }
        var logger = Logger(label: "loopweb")
        logger.logLevel = .info
        let socketPath = socket ?? DefaultPaths().clientSocketPath
        let environment = ProcessInfo.processInfo.environment
        let state = stateDirectory ?? environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init)
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/loopweb"
        let secret: Data
        do {
            secret = try ServerSecret.load(folder: state)
        } catch {
            FileHandle.standardError.write(Data("loopweb: cannot keep the server's key in \(state): \((error as NSError).localizedDescription)\n".utf8))
            throw ExitCode(1)
        }
        var settings = WebSettings(
            loopd: LoopdGateway(socketPath: socketPath), links: PublicLinks(publicURL: publicURL), secret: secret,
            maxUploadBytes: maxUploadBytes, trustedProxies: Set(trustedProxies), identityHeader: identityHeader
        )
        settings.quotaBytes = quotaBytes
        if let identityAssertionKeys, let identityAssertionAudience {
            settings.identityAssertion = (AccessAssertion(keysSource: identityAssertionKeys, audience: identityAssertionAudience), identityAssertionHeader)
        }
        let catalogProgress = CatalogProgress()
        var catalogDatabase: CatalogDatabase?
        var catalogSettings: CatalogSettings?
        var peerClient: HTTPClient?
        // Where the catalogue's other servers reach this one: said, or learnt once the port is bound.
        let peerAddress = PeerAddress(peerURL ?? publicURL)
        if let catalogURL, var catalog = try? CatalogSettings(url: catalogURL, host: catalogHost) {
            catalog.heartbeat = .seconds(catalogHeartbeat)
            if let catalogReadURL { try? catalog.readFrom(url: catalogReadURL) }
            let client = CatalogDatabase(settings: catalog, logger: logger)
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(60)))
            configuration.decompression = .disabled
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            settings.catalogProgress = catalogProgress
            settings.sharedCatalog = SharedCatalog(
                search: CatalogSearch(database: client, silentAfter: catalog.silentAfter, logger: logger),
                peers: CatalogPeers(database: client, silentAfter: catalog.silentAfter, logger: logger), http: http, host: catalog.host,
                library: CatalogLibrary(database: client, silentAfter: catalog.silentAfter, logger: logger)
            )
            (catalogDatabase, catalogSettings, peerClient) = (client, catalog, http)
        }
        if !noWebApp {
            guard let folder = webRoot ?? WebAppAssets.defaultFolder() else {
                FileHandle.standardError.write(Data("loopweb: the web app is not installed beside loopweb; give --web-root DIR, or --no-web-app for the API alone.\n".utf8))
                throw ExitCode(1)
            }
            do {
                settings.webApp = try WebAppAssets(folder: folder)
            } catch {
                FileHandle.standardError.write(Data("loopweb: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        // A connection is a descriptor: the soft limit (1,024 by default) would cap loopweb below its load.
        RPCServer.raiseDescriptorLimit()
        let app = WebApplication.application(settings, host: host, port: port, idleTimeout: .seconds(idleTimeout), logger: logger) { bound in
            if peerAddress.url == nil { peerAddress.set("http://\(host.contains(":") ? "[\(host)]" : host):\(bound)") }
            FileHandle.standardError.write(Data("loopweb is serving http://\(host.contains(":") ? "[\(host)]" : host):\(bound)/api/v1/ for loopd at \(socketPath).\n".utf8))
        }
        let housekeeper = Housekeeper(loopd: settings.loopd, keep: .seconds(trashDays * 86_400), logger: logger)
        var services: [any Service] = [app, housekeeper]
        if let spotlight, let (spotlightHost, spotlightPort) = Self.address(spotlight) {
            do {
                services.append(try await SpotlightEndpoint.server(host: spotlightHost, port: spotlightPort, loopd: settings.loopd, logger: logger))
            } catch {
                FileHandle.standardError.write(Data("loopweb: cannot answer Spotlight searches on \(spotlight): \(error)\n".utf8))
                throw ExitCode(1)
            }
            FileHandle.standardError.write(Data("loopweb answers Spotlight searches on \(spotlight).\n".utf8))
        }
        if let client = catalogDatabase, let catalog = catalogSettings {
            let publisher = CatalogPublisher(
                store: CatalogStore(database: client, host: catalog.host, peerAddress: peerAddress, logger: logger), socketPath: socketPath, heartbeat: catalog.heartbeat,
                logger: logger, progress: catalogProgress
            )
            // The client starts first and stops last: the publisher uses it to the end.
            services.insert(contentsOf: [client, publisher] as [any Service], at: 0)
            FileHandle.standardError.write(Data("loopweb publishes this server's records to \(catalog.description) as host \(catalog.host).\n".utf8))
            if !catalog.replicas.isEmpty {
                FileHandle.standardError.write(Data("loopweb answers catalogue searches from \(catalog.replicas.map(\.description).joined(separator: ", ")).\n".utf8))
            }
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A request that cannot finish (a server gone mid-answer) must not keep loopweb from stopping.
        configuration.maximumGracefulShutdownDuration = .seconds(15)
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
            try await peerClient?.shutdown()
        } catch {
            try? await peerClient?.shutdown()
            FileHandle.standardError.write(Data("loopweb: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
