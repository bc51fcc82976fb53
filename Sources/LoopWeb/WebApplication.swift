import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import LoopCatalog
import Logging
import LoopAPI

/// What loopweb's routes need: loopd, the public address, the server secret and the limits.
public struct WebSettings: Sendable {
    public var loopd: LoopdGateway
    public var links: PublicLinks
    /// 32 bytes only this server knows (`ServerSecret`).
    public var secret: Data
    public var maxUploadBytes: Int64
    /// Peer addresses (a reverse proxy's) whose `X-Forwarded-For` is believed.
    public var trustedProxies: Set<String>
    /// The header in which a trusted proxy names its user (`--identity-header`).
    public var identityHeader: String?
    /// The proxy's signed assertion of its user and the header that carries it
    /// (`--identity-assertion-keys`); nil: not checked.
    public var identityAssertion: (verifier: AccessAssertion, header: String)?
    /// Bytes the uploads of one account (other than an admin) may take in the library; nil: no limit.
    public var quotaBytes: Int64?
    /// The web app served at `/`; nil: the API alone.
    public var webApp: WebAppAssets?
    /// Where publishing to the shared catalogue stands (`--catalog`); nil without one.
    public var catalogProgress: CatalogProgress?
    /// The shared catalogue's search and the other servers' files; nil without one.
    public var sharedCatalog: SharedCatalog?
    /// Resumable uploads (shared with the sweep that removes stale ones).
    let uploadSessions = UploadSessions()

    public init(loopd: LoopdGateway, links: PublicLinks, secret: Data, maxUploadBytes: Int64, trustedProxies: Set<String> = [], identityHeader: String? = nil) {
        self.identityHeader = identityHeader
        self.loopd = loopd
        self.links = links
        self.secret = secret
        self.maxUploadBytes = maxUploadBytes
        self.trustedProxies = trustedProxies
    }

    /// Cookies are `Secure` unless the public URL is plain http (a browser would drop them there).
    var secureCookies: Bool { !(links.publicURL?.hasPrefix("http://") ?? false) }
}

/// The shared catalogue as loopweb's routes use it.
public struct SharedCatalog: Sendable {
    public var search: CatalogSearch
    public var peers: CatalogPeers
    /// Fetches other servers' files; redirects are not followed (a signed request goes where the catalogue says, only).
    public var http: HTTPClient
    /// This server's name in the catalogue.
    public var host: String
    /// Each person's favourites and collections over every server's sounds.
    public var library: CatalogLibrary

    public init(search: CatalogSearch, peers: CatalogPeers, http: HTTPClient, host: String, library: CatalogLibrary) {
        self.search = search
        self.peers = peers
        self.http = http
        self.host = host
        self.library = library
    }
}

/// loopweb's HTTP application: `/api/v1/health`, the API description, logging in and signed links
/// for anyone; everything else behind a login.
public enum WebApplication {
    public static func router(_ settings: WebSettings) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: APIErrorMiddleware())
        if let webApp = settings.webApp { WebAppRoutes(assets: webApp).add(to: router) }
        let api = router.group("api/v1")
        let none: @Sendable (Request, WebContext) async throws -> Response = { _, _ in
            throw APIError(.notFound, "This server shares no catalogue with other servers (loopweb --catalog).")
        }
        let catalog = settings.catalogProgress
        api.get("health") { _, _ in
            // Whether the catalogue takes this host's changes, without why not (that is for the log).
            guard let catalog else { return SoundJSON.response("{\"status\":\"ok\"}") }
            return SoundJSON.response("{\"status\":\"ok\",\"catalog\":\"\(catalog.failureReason == nil ? "publishing" : "waiting")\"}")
        }
        api.get("openapi.json") { _, _ in SoundJSON.response(OpenAPIDocument.json) }
        var auth = WebAuth(loopd: settings.loopd, secret: settings.secret, secureCookies: settings.secureCookies, trustedProxies: settings.trustedProxies, identityHeader: settings.identityHeader)
        if let (verifier, header) = settings.identityAssertion, let name = HTTPField.Name(header) { auth.assertion = (verifier, name) }
        let signed = SignedLinks(key: settings.secret)
        var sounds = SoundRoutes(loopd: settings.loopd, links: settings.links, signed: signed)
        if let shared = settings.sharedCatalog { sounds.catalog = CatalogSearchRoute(catalog: shared.search, host: shared.host, links: settings.links) }
        let sessions = SessionRoutes(loopd: settings.loopd, auth: auth, catalogHost: settings.sharedCatalog?.host)
        sounds.addPublic(to: api)
        sessions.addPublic(to: api)
        let authenticated = api.group().add(middleware: WebAuthenticator(auth: auth))
        sessions.add(to: authenticated)
        sounds.add(to: authenticated)
        if let shared = settings.sharedCatalog {
            let keys = PeerKeys(peers: shared.peers)
            PeerServeRoutes(keys: keys, host: shared.host, sounds: sounds).addPublic(to: api)
            PeerDownloadRoutes(peers: shared.peers, keys: keys, http: shared.http, host: shared.host, sounds: sounds).add(to: authenticated)
        } else {
            // The routes exist everywhere (the API description lists them) and say why they serve nothing here.
            api.get("peer/sounds/:request", use: none)
            api.head("peer/sounds/:request", use: none)
            authenticated.get("hosts/:host/sounds/:id/download", use: none)
            authenticated.head("hosts/:host/sounds/:id/download", use: none)
        }
        AuditionRoutes(sounds: sounds).add(to: authenticated)
        let uploads = UploadRoutes(loopd: settings.loopd, links: settings.links, maxBytes: settings.maxUploadBytes, quotaBytes: settings.quotaBytes)
        uploads.add(to: authenticated)
        UploadSessionRoutes(loopd: settings.loopd, uploads: uploads, sessions: settings.uploadSessions).add(to: authenticated)
        var library = LibraryRoutes(loopd: settings.loopd, links: settings.links)
        if let shared = settings.sharedCatalog {
            let everywhere = CatalogLibraryRoutes(library: shared.library, host: shared.host, links: settings.links)
            everywhere.add(to: authenticated)
            library.catalog = everywhere
        } else {
            authenticated.put("hosts/:host/sounds/:id/favourite", use: none)
            authenticated.delete("hosts/:host/sounds/:id/favourite", use: none)
            authenticated.put("collections/:name/hosts/:host/sounds/:id", use: none)
            authenticated.delete("collections/:name/hosts/:host/sounds/:id", use: none)
        }
        library.add(to: authenticated)
        let trash = TrashRoutes(loopd: settings.loopd, links: settings.links)
        trash.add(to: authenticated)
        AudioServerRoutes(sounds: sounds, uploads: uploads, trash: trash).add(to: authenticated)
        EventRoutes(loopd: settings.loopd, links: settings.links, streams: EventStreamCount()).add(to: authenticated)
        RemoteCallRoutes(loopd: settings.loopd).add(to: authenticated)
        AccountRoutes(loopd: settings.loopd, links: settings.links, credentials: auth.credentials).add(to: authenticated)
        return router
    }

    /// The server on `host:port`; `onRunning` gets the port bound (useful when 0 was asked for).
    /// A connection with no request in progress for `idleTimeout` (one that sends half a request
    /// and stops, or keeps an idle keep-alive) is closed, so slow clients cannot hold them all.
    public static func application(
        _ settings: WebSettings, host: String, port: Int, idleTimeout: Duration = .seconds(60), logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router(settings),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000))),
            configuration: .init(address: .hostname(host, port: port), serverName: "loopweb", backlog: 1024),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
