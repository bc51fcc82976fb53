import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LoopAPI
import LoopRPC

/// How loopweb knows who asks: bearer tokens and login sessions, each confirmed by loopd (and
/// remembered for a moment); the session cookie and the CSRF token that goes with it; failed
/// logins counted; the client's address, from a trusted proxy's `X-Forwarded-For` when behind one.
public struct WebAuth: Sendable {
    let loopd: LoopdGateway
    /// The server secret's bytes: each session's CSRF token is its HMAC.
    let secret: Data
    /// Secure cookies: on unless the public URL is plain `http://`.
    let secureCookies: Bool
    /// Peer addresses whose `X-Forwarded-For` (and identity header) is believed.
    let trustedProxies: Set<String>
    /// The header in which a trusted proxy names the user it authenticated (Cloudflare Access:
    /// `Cf-Access-Authenticated-User-Email`); nil when no proxy is trusted with identity.
    let identityHeader: HTTPField.Name?
    /// The proxy's signed assertion of its user, checked when configured; then it alone names
    /// the user, and the plain identity header is not read.
    var assertion: (verifier: AccessAssertion, header: HTTPField.Name)?
    let credentials = CredentialCache()
    let limiter = LoginLimiter()

    public static let cookieName = "loopweb_session"
    public static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    public init(loopd: LoopdGateway, secret: Data, secureCookies: Bool, trustedProxies: Set<String> = [], identityHeader: String? = nil) {
        self.loopd = loopd
        self.secret = secret
        self.secureCookies = secureCookies
        self.trustedProxies = trustedProxies
        self.identityHeader = identityHeader.flatMap { HTTPField.Name($0) }
    }

    /// The user a trusted proxy vouches for; nil from any other peer, or without its header. With
    /// an assertion to check, one that fails is refused outright.
    func proxyIdentity(_ request: Request, _ context: WebContext) async throws -> String? {
        guard let peer = context.peerAddress, trustedProxies.contains(peer) else { return nil }
        if let assertion {
            guard let signed = request.headers[assertion.header]?.trimmingCharacters(in: .whitespaces), !signed.isEmpty else { return nil }
            do {
                return try await assertion.verifier.email(from: signed)
            } catch {
                throw APIError.unauthorized(error.description)
            }
        }
        guard let identityHeader, let value = request.headers[identityHeader]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The account named as the proxy's identity says (the same name, any case).
    func account(proxyIdentity name: String) async throws -> Account {
        let refusal = "No account is named '\(name.prefix(64))', the user your proxy vouches for; an admin adds it with loopctl user add."
        guard Account.isValidName(name) else { throw APIError.unauthorized(refusal) }
        let key = "proxy:" + name.lowercased()
        if let account = await credentials.account(for: key) { return account }
        guard let account = try await loopd.call(LoopMethod.accounts, NoParams()).first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw APIError.unauthorized(refusal)
        }
        await credentials.keep(account, for: key)
        return account
    }

    /// The account of a bearer token.
    func account(token: String) async throws -> Account {
        try await confirmed(token, LoopMethod.tokenVerify, "Log in again: the token is not valid.")
    }

    /// The account of a login session.
    func account(session: String) async throws -> Account {
        try await confirmed(session, LoopMethod.sessionVerify, "Log in again: your login has ended.")
    }

    private func confirmed(_ credential: String, _ method: RPCMethod<TokenCheck, Account>, _ refusal: String) async throws -> Account {
        guard !credential.isEmpty, credential.utf8.count <= 256 else { throw APIError.unauthorized(refusal) }
        if let account = await credentials.account(for: credential) { return account }
        do {
            let account = try await loopd.call(method, TokenCheck(token: credential))
            await credentials.keep(account, for: credential)
            return account
        } catch let RPCClientError.server(error) where error.code == RPCErrorCode.noSuchAccount.rawValue {
            throw APIError.unauthorized(refusal)
        }
    }

    /// The token a page sends in `X-CSRF-Token` with every change made under its login: the
    /// session's HMAC, which a page on another site cannot read or make.
    func csrfToken(session: String) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(("csrf:" + session).utf8), using: SymmetricKey(data: secret))))
    }

    func sessionCookie(_ grant: SessionGrant) -> Cookie {
        Cookie(
            name: Self.cookieName, value: grant.token, maxAge: max(0, Int(grant.expires - Date().timeIntervalSince1970)),
            path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict
        )
    }

    var endedCookie: Cookie {
        Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Who the client is for rate limits: the peer, or the address a trusted proxy names.
    func clientAddress(_ request: Request, _ context: WebContext) -> String {
        let peer = context.peerAddress ?? "unknown"
        guard trustedProxies.contains(peer), let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!] else { return peer }
        return forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? peer
    }
}
