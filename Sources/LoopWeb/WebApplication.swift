import Hummingbird
import Logging
import LoopAPI

/// loopweb's HTTP application: `/api/v1/health` for anyone, everything else behind a token.
public enum WebApplication {
    public static func router(loopd: LoopdGateway, links: PublicLinks, signed: SignedLinks, maxUploadBytes: Int64) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: APIErrorMiddleware())
        let api = router.group("api/v1")
        api.get("health") { _, _ in
            SoundJSON.response("{\"status\":\"ok\"}")
        }
        api.get("openapi.json") { _, _ in SoundJSON.response(OpenAPIDocument.json) }
        let sounds = SoundRoutes(loopd: loopd, links: links, signed: signed)
        sounds.addPublic(to: api)
        let authenticated = api.group().add(middleware: TokenAuthenticator(loopd: loopd))
        sounds.add(to: authenticated)
        UploadRoutes(loopd: loopd, links: links, maxBytes: maxUploadBytes).add(to: authenticated)
        return router
    }

    /// The server on `host:port`; `onRunning` gets the port bound (useful when 0 was asked for).
    public static func application(
        loopd: LoopdGateway, links: PublicLinks, signed: SignedLinks, host: String, port: Int, maxUploadBytes: Int64, logger: Logger,
        onRunning: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        Application(
            router: router(loopd: loopd, links: links, signed: signed, maxUploadBytes: maxUploadBytes),
            configuration: .init(address: .hostname(host, port: port), serverName: "loopweb"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
