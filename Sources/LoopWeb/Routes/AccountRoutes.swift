import Foundation
import Hummingbird
import LoopAPI
import LoopCore
import LoopRPC

/// Accounts from the web: anyone's own API tokens; for admins, the accounts (their roles, and
/// removing them) and invitations.
/// loopd decides who may (an admin account, or the account itself for its tokens).
struct AccountRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks
    let credentials: CredentialCache

    /// A small JSON body: a name, a role, a label.
    static let maxBodyBytes = 1024

    func add(to group: RouterGroup<WebContext>) {
        group.get("accounts") { _, context in try await list(context) }
        group.patch("accounts/:account") { request, context in try await setRole(request, context) }
        group.delete("accounts/:account") { _, context in try await remove(context) }
        group.post("accounts/invitations") { request, context in try await invite(request, context) }
        group.post("tokens") { request, context in try await token(request, context) }
    }

    /// `GET /accounts` (admins): every account with its role.
    func list(_ context: WebContext) async throws -> Response {
        let accounts = try await loopd.call(LoopMethod.accounts, NoParams(), for: context.account)
        let items = accounts.map(Self.json)
        return SoundJSON.response("{\"count\":\(accounts.count),\"results\":[" + items.joined(separator: ",") + "]}")
    }

    private struct RoleBody: Decodable {
        var role: AccountRole
    }

    /// `PATCH /accounts/{name}` with `{"role"}` (admins, not of themselves): the account's new role,
    /// in force from its next request.
    func setRole(_ request: Request, _ context: WebContext) async throws -> Response {
        let name = try Self.accountName(context)
        let body = try await JSONBody.decode(RoleBody.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"role\": \"reader|writer|admin\"}")
        let account = try await Self.naming(name) { try await loopd.call(LoopMethod.accountRole, AccountRoleChange(name: name, role: body.role), for: context.account) }
        await credentials.forget(accountNamed: name)
        return SoundJSON.response(Self.json(account))
    }

    /// `DELETE /accounts/{name}` (admins, not of themselves): the account, its tokens and sessions go.
    func remove(_ context: WebContext) async throws -> Response {
        let name = try Self.accountName(context)
        _ = try await Self.naming(name) { try await loopd.call(LoopMethod.accountRemove, AccountRemoval(name: name), for: context.account) }
        await credentials.forget(accountNamed: name)
        return Response(status: .noContent)
    }

    static func accountName(_ context: WebContext) throws -> String {
        guard let raw = context.parameters.get("account"), let name = raw.removingPercentEncoding, Account.isValidName(name) else {
            throw APIError(.badRequest, "An account is named by 1 to 64 letters, digits, '.', '_', '-', '@' or '+'.")
        }
        return name
    }

    /// The caller's own account was checked before the route ran, so an unknown account here is
    /// the one named in the path: 404, not the 401 of a stale login.
    static func naming<T>(_ name: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let RPCClientError.server(error) where error.code == RPCErrorCode.noSuchAccount.rawValue {
            throw APIError(.notFound, "No such account: there is no account named '\(name)'.")
        }
    }

    static func json(_ account: Account) -> String {
        "{\"name\":" + JSONLiteral.string(account.name) + ",\"role\":" + JSONLiteral.string(account.role.rawValue)
            + ",\"unix_user\":" + (account.unixUser.map(JSONLiteral.string) ?? "null") + "}"
    }

    private struct Invitation: Decodable {
        var name: String
        var role: AccountRole
    }

    /// `POST /accounts/invitations` with `{"name", "role"}` (admins): a link with which that person
    /// sets a password and logs in, once, within a week.
    func invite(_ request: Request, _ context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(Invitation.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"name\": \"...\", \"role\": \"reader|writer|admin\"}")
        let grant = try await loopd.call(LoopMethod.invitationCreate, InvitationRequest(name: body.name, role: body.role), for: context.account)
        // The web app's page, which asks for the new password (the token rides in the fragment,
        // which browsers do not send to servers or proxies' logs).
        let url = links.site(of: request) + "/#invitation=" + grant.token
        return SoundJSON.response(
            "{\"name\":" + JSONLiteral.string(grant.name) + ",\"url\":" + JSONLiteral.string(url) + ",\"expires\":\(Int64(grant.expires))}", status: .created
        )
    }

    private struct TokenBody: Decodable {
        var label: String?
    }

    /// `POST /tokens` with `{"label"}`: an API token for the account asking, shown this once.
    func token(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let account = context.account else { throw APIError.unauthorized("Log in first.") }
        let body = try await JSONBody.decode(TokenBody.self, request, maxBytes: Self.maxBodyBytes, shape: "{\"label\": \"laptop\"}")
        if let label = body.label, label.count > 100 { throw APIError(.badRequest, "The label is too long: at most 100 characters.") }
        let grant = try await loopd.call(LoopMethod.tokenCreate, TokenRequest(account: account.name, label: body.label), for: account)
        return SoundJSON.response("{\"account\":" + JSONLiteral.string(grant.account) + ",\"token\":" + JSONLiteral.string(grant.token) + "}", status: .created)
    }
}
