import Foundation
import Hummingbird
import LoopAPI
import LoopCore
import LoopRPC

/// `/session` (log in, who am I, log out) and `/invitations/{token}` (set a password, once).
struct SessionRoutes: Sendable {
    let loopd: LoopdGateway
    let auth: WebAuth
    /// This server's name in the shared catalogue, which tells the page it can search every server; nil without one.
    var catalogHost: String? = nil

    /// A login's JSON body is a name and a password: a kilobyte is plenty.
    static let maxBodyBytes = 4096

    struct Login: Decodable {
        var name: String
        var password: String
    }

    struct NewPassword: Decodable {
        var password: String
    }

    func addPublic(to group: RouterGroup<WebContext>) {
        group.post("session") { request, context in try await login(request, context) }
        group.post("invitations/:token") { request, context in try await accept(request, context) }
    }

    func add(to group: RouterGroup<WebContext>) {
        group.get("session") { _, context in try describe(context, status: .ok) }
        group.delete("session") { _, context in try await logout(context) }
    }

    /// `POST /session` with `{"name", "password"}` as JSON (a form from another site cannot send
    /// JSON without the browser asking first): the session cookie, and the CSRF token in the body.
    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        let login = try await JSONBody.decode(Login.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"name\": \"...\", \"password\": \"...\"}")
        let address = auth.clientAddress(request, context)
        if let wait = await auth.limiter.wait(name: login.name, address: address) {
            throw APIError(.tooManyRequests, "Too many failed logins: try again in \(wait) seconds.", headers: [.retryAfter: String(wait)])
        }
        let grant: SessionGrant
        do {
            grant = try await loopd.call(LoopMethod.sessionCreate, LoginRequest(name: login.name, password: login.password))
        } catch let RPCClientError.server(error) where error.code == RPCErrorCode.noSuchAccount.rawValue {
            await auth.limiter.failed(name: login.name, address: address)
            throw APIError.unauthorized("The name or the password is wrong.")
        }
        await auth.limiter.succeeded(name: login.name)
        return try loggedIn(grant, status: .ok)
    }

    /// `POST /invitations/{token}` with `{"password"}`: makes the invited account and logs it in.
    func accept(_ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(NewPassword.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"password\": \"...\"}")
        let token = context.parameters.get("token") ?? ""
        let address = auth.clientAddress(request, context)
        if let wait = await auth.limiter.wait(name: "invitation", address: address) {
            throw APIError(.tooManyRequests, "Too many failed attempts: try again in \(wait) seconds.", headers: [.retryAfter: String(wait)])
        }
        let grant: SessionGrant
        do {
            grant = try await loopd.call(LoopMethod.invitationAccept, InvitationAcceptance(token: token, password: body.password))
        } catch let RPCClientError.server(error) where error.code == RPCErrorCode.noSuchAccount.rawValue {
            await auth.limiter.failed(name: "invitation", address: address)
            throw APIError(.notFound, "No such invitation: it was used, has expired or was mistyped.")
        }
        return try loggedIn(grant, status: .created)
    }

    func logout(_ context: WebContext) async throws -> Response {
        guard let session = context.sessionToken else {
            throw APIError(.badRequest, "There is no login to end: this request came with a token, not the login cookie.")
        }
        _ = try await loopd.call(LoopMethod.sessionEnd, TokenCheck(token: session))
        await auth.credentials.forget(session)
        var response = Response(status: .noContent)
        response.setCookie(auth.endedCookie)
        return response
    }

    private func loggedIn(_ grant: SessionGrant, status: HTTPResponse.Status) throws -> Response {
        var response = SoundJSON.response(json(grant.account, csrf: auth.csrfToken(session: grant.token), expires: grant.expires), status: status)
        response.setCookie(auth.sessionCookie(grant))
        return response
    }

    /// `GET /session`: who is logged in, and the CSRF token for a page that was reloaded.
    func describe(_ context: WebContext, status: HTTPResponse.Status) throws -> Response {
        guard let account = context.account else { throw APIError.unauthorized("Log in first.") }
        return SoundJSON.response(json(account, csrf: context.csrfToken, expires: nil), status: status)
    }

    func json(_ account: Account, csrf: String?, expires: Double?) -> String {
        var text = "{\"account\":{\"name\":" + JSONLiteral.string(account.name) + ",\"role\":" + JSONLiteral.string(account.role.rawValue) + "}"
        text += ",\"csrf\":" + (csrf.map(JSONLiteral.string) ?? "null")
        text += ",\"catalogue\":" + (catalogHost.map(JSONLiteral.string) ?? "null")
        text += ",\"expires\":" + (expires.map { String(Int64($0)) } ?? "null")
        return text + "}"
    }
}
