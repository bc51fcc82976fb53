import Foundation
import Hummingbird
import LoopAPI
import LoopCore

/// Accounts from the web: anyone's own API tokens; for admins, the accounts and invitations.
/// loopd decides who may (an admin account, or the account itself for its tokens).
struct AccountRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks

    /// A small JSON body: a name, a role, a label.
    static let maxBodyBytes = 1024

    func add(to group: RouterGroup<WebContext>) {
        group.get("accounts") { _, context in try await list(context) }
        group.post("accounts/invitations") { request, context in try await invite(request, context) }
        group.post("tokens") { request, context in try await token(request, context) }
    }

    /// `GET /accounts` (admins): every account with its role.
    func list(_ context: WebContext) async throws -> Response {
        let accounts = try await loopd.call(LoopMethod.accounts, NoParams(), for: context.account)
        let items = accounts.map { account in
            "{\"name\":" + JSONLiteral.string(account.name) + ",\"role\":" + JSONLiteral.string(account.role.rawValue)
                + ",\"unix_user\":" + (account.unixUser.map(JSONLiteral.string) ?? "null") + "}"
        }
        return SoundJSON.response("{\"count\":\(accounts.count),\"results\":[" + items.joined(separator: ",") + "]}")
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
