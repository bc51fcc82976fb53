import Foundation
import Hummingbird
import LoopAPI

/// Every route behind it needs a login: `Authorization: Bearer TOKEN` (scripts, `loopctl`), the
/// identity a trusted proxy vouches for (`--identity-header`), or the session cookie (the web app);
/// the last two ride along with a browser's requests, so they need `X-CSRF-Token` on every change.
struct WebAuthenticator: RouterMiddleware {
    typealias Context = WebContext
    let auth: WebAuth

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
                throw APIError.unauthorized("Log in: send Authorization: Bearer TOKEN (on the server, loopctl token create NAME makes one).")
            }
            context.account = try await auth.account(token: header.dropFirst(7).trimmingCharacters(in: .whitespaces))
        } else if let identity = try await auth.proxyIdentity(request, context) {
            let account = try await auth.account(proxyIdentity: identity)
            context.account = account
            context.csrfToken = auth.csrfToken(session: "proxy:" + account.name.lowercased())
        } else if let session = request.cookies[WebAuth.cookieName]?.value, !session.isEmpty {
            context.account = try await auth.account(session: session)
            context.sessionToken = session
            context.csrfToken = auth.csrfToken(session: session)
        } else {
            throw APIError.unauthorized("Log in: POST your name and password to /api/v1/session, or send Authorization: Bearer TOKEN.")
        }
        if let expected = context.csrfToken, !Self.isSafe(request.method) {
            guard let sent = request.headers[WebAuth.csrfHeader], Self.equal(sent, expected) else {
                throw APIError(.forbidden, "Refused: a change made with a browser's login needs the X-CSRF-Token that GET /api/v1/session gives.")
            }
        }
        return try await next(request, context)
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }

    /// Compares in time that does not depend on where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
