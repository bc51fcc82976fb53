import Hummingbird
import NIOCore

/// `/` is the web app's page (checked on every load, so a new version shows at once);
/// `/assets/<digest>/<file>` its files, cached for a year. Both need no login: the page asks for
/// one, and the files hold no data.
struct WebAppRoutes: Sendable {
    let assets: WebAppAssets

    func add(to router: Router<WebContext>) {
        router.get("/") { _, _ in page() }
        router.get("assets/:digest/:file") { _, context in
            guard let digest = context.parameters.get("digest"), let name = context.parameters.get("file"),
                  let file = assets.file(name, digest: digest) else {
                throw APIError(.notFound, "No such file of the web app (it may be from an older version: reload the page).")
            }
            return Response(
                status: .ok,
                headers: [.contentType: file.contentType, .cacheControl: "public, max-age=31536000, immutable"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes))
            )
        }
    }

    func page() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: assets.index))
        )
    }
}
