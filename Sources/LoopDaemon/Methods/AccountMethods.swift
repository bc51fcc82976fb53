import Crypto
import Dispatch
import Foundation
import HummingbirdBcrypt
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC

/// Web accounts, their passwords, API tokens, login sessions and invitations. Managing accounts is
/// for root and loopd's own user (`loopctl user` and `loopctl token` on the server) and for admin
/// accounts through the web service; checking a token, a password or a session is for the web
/// service alone, which runs as one of those users.
struct AccountMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    /// How long a login lasts.
    static let sessionLifetime: TimeInterval = 30 * 86_400
    /// bcrypt's cost: 2^12 rounds, about a quarter of a second here, paid once per login.
    static let bcryptCost: UInt8 = 12

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.accountAdd) { request, context in
            try await requireAdministrator(context, "adding an account")
            try Self.check(name: request.name, unixUser: request.unixUser)
            var hash: String?
            if let password = request.password {
                if let problem = PasswordRules.problem(password) { throw RPCError(.invalidParams, "Invalid params: \(problem).") }
                hash = await Self.bcrypt(password)
            }
            let saved = hash
            return try await IndexErrors.mapped { try await daemon.store.saveAccount(request, passwordHash: saved) }
        }
        dispatcher.register(LoopMethod.accounts) { _, context in
            try await requireAdministrator(context, "listing accounts")
            return try await IndexErrors.mapped { try await daemon.store.accounts() }
        }
        dispatcher.register(LoopMethod.accountRole) { request, context in
            try await requireAdministrator(context, "changing an account's role")
            try await refuseOwnAccount(request.name, context, "change your own role")
            let changed = try await IndexErrors.mapped { try await daemon.store.setRole(request.role, ofAccount: request.name) }
            guard let changed else { throw Self.noSuchAccount(request.name) }
            return changed
        }
        dispatcher.register(LoopMethod.accountRemove) { request, context in
            try await requireAdministrator(context, "removing an account")
            try await refuseOwnAccount(request.name, context, "remove your own account")
            let removed = try await IndexErrors.mapped { try await daemon.store.removeAccount(named: request.name) }
            guard let removed else { throw Self.noSuchAccount(request.name) }
            return removed
        }
        dispatcher.register(LoopMethod.accountUsage) { request, context in
            // An account may ask of its own; admins and the server of any.
            let caller = try await access.caller(context)
            if caller.account?.name.lowercased() != request.account.lowercased() { try await requireAdministrator(context, "reading another account's usage") }
            return try await IndexErrors.mapped { try await daemon.store.usage(account: request.account) }
        }
        dispatcher.register(LoopMethod.accountActivity) { request, context in
            try await requireAdministrator(context, "reading an account's activity")
            return try await IndexErrors.mapped { try await daemon.store.activity(account: request.account, limit: min(max(request.limit ?? 100, 1), 1000)) }
        }
        dispatcher.register(LoopMethod.tokenCreate) { request, context in
            // A web account may make tokens for itself (its scripts, its laptop); others' are for admins.
            let caller = try await access.caller(context)
            if caller.account?.name.lowercased() != request.account.lowercased() { try await requireAdministrator(context, "creating a token") }
            let token = Self.newToken(prefix: "olp_")
            let added = try await IndexErrors.mapped { try await daemon.store.addToken(hash: Self.hash(token), account: request.account, label: request.label) }
            guard added else { throw RPCError(.noSuchAccount, "No such account: there is no account named '\(request.account)' (add it with loopctl user add).") }
            return TokenGrant(account: request.account, token: token)
        }
        dispatcher.register(LoopMethod.tokenVerify) { check, context in
            try requireWebService(context, "checking a token")
            guard check.token.utf8.count <= 256,
                  let account = try await IndexErrors.mapped({ try await daemon.store.account(forTokenHash: Self.hash(check.token)) })
            else {
                throw RPCError(.noSuchAccount, "No such account: the token is not valid.")
            }
            return account
        }
        registerSessions(in: &dispatcher)
        registerInvitations(in: &dispatcher)
    }

    private func registerSessions(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.sessionCreate) { login, context in
            try requireWebService(context, "logging in")
            let refused = RPCError(.noSuchAccount, "No such account: the name or the password is wrong.")
            guard login.password.utf8.count <= PasswordRules.bytes.upperBound, login.name.utf8.count <= 64 else { throw refused }
            let found = try await IndexErrors.mapped { try await daemon.store.accountWithPassword(named: login.name) }
            // A missing account costs as much time as a wrong password, so timing tells no names.
            let hash = found?.passwordHash ?? Self.decoyHash
            guard await Self.verify(login.password, hash: hash), let account = found?.account, found?.passwordHash != nil else { throw refused }
            return try await newSession(for: account)
        }
        dispatcher.register(LoopMethod.sessionVerify) { check, context in
            try requireWebService(context, "checking a login")
            guard check.token.utf8.count <= 256,
                  let account = try await IndexErrors.mapped({ try await daemon.store.account(forSessionHash: Self.hash(check.token)) })
            else {
                throw RPCError(.noSuchAccount, "No such account: the login has ended; log in again.")
            }
            return account
        }
        dispatcher.register(LoopMethod.sessionEnd) { check, context in
            try requireWebService(context, "logging out")
            try await IndexErrors.mapped { try await daemon.store.deleteSession(hash: Self.hash(check.token)) }
            return ChangeReply(files: 0, changed: 1)
        }
    }

    private func registerInvitations(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.invitationCreate) { request, context in
            try await requireAdministrator(context, "inviting someone")
            try Self.check(name: request.name, unixUser: request.unixUser)
            if try await IndexErrors.mapped({ try await daemon.store.account(named: request.name) }) != nil {
                throw RPCError(.alreadyExists, "Already exists: there is an account named '\(request.name)'.")
            }
            let lifetime = request.expiresIn ?? InvitationRequest.defaultLifetime
            guard lifetime > 0, lifetime <= InvitationRequest.longestLifetime else {
                throw RPCError(.invalidParams, "Invalid params: an invitation lasts from a second to 30 days (expiresIn \(lifetime)).")
            }
            let token = Self.newToken(prefix: "olpi_")
            let expires = Date().addingTimeInterval(lifetime)
            let account = AccountRequest(name: request.name, role: request.role, unixUser: request.unixUser)
            try await IndexErrors.mapped { try await daemon.store.addInvitation(hash: Self.hash(token), request: account, expiresAt: expires) }
            return InvitationGrant(name: request.name, token: token, expires: expires.timeIntervalSince1970)
        }
        dispatcher.register(LoopMethod.invitationAccept) { acceptance, context in
            try requireWebService(context, "accepting an invitation")
            if let problem = PasswordRules.problem(acceptance.password) { throw RPCError(.invalidParams, "Invalid params: \(problem).") }
            let passwordHash = await Self.bcrypt(acceptance.password)
            guard acceptance.token.utf8.count <= 256,
                  let account = try await IndexErrors.mapped({ try await daemon.store.acceptInvitation(hash: Self.hash(acceptance.token), passwordHash: passwordHash) })
            else {
                throw RPCError(.noSuchAccount, "No such account: the invitation is not valid (used, expired or mistyped).")
            }
            return try await newSession(for: account)
        }
    }

    private func newSession(for account: Account) async throws -> SessionGrant {
        let token = Self.newToken(prefix: "olps_")
        let expires = Date().addingTimeInterval(Self.sessionLifetime)
        try await IndexErrors.mapped { try await daemon.store.addSession(hash: Self.hash(token), account: account.name, expiresAt: expires) }
        return SessionGrant(account: account, token: token, expires: expires.timeIntervalSince1970)
    }

    private static func check(name: String, unixUser: String?) throws(RPCError) {
        guard Account.isValidName(name) else {
            throw RPCError(.invalidParams, "Invalid params: '\(name)' is not a usable account name: use 1 to 64 letters, digits, '.', '_' or '-'.")
        }
        if let user = unixUser, UnixUsers.uid(of: user) == nil {
            throw RPCError(.invalidParams, "Invalid params: there is no Unix user '\(user)' on this server.")
        }
    }

    /// Root and loopd's own user, or an admin account through the web service.
    private func requireAdministrator(_ context: RPCContext, _ action: String) async throws(RPCError) {
        let caller = try await access.caller(context)
        if let account = caller.account {
            guard account.role == .admin else { throw RPCError(.permissionDenied, "Not allowed: \(action) is for admins (\(caller.name) is a \(account.role.rawValue)).") }
            return
        }
        guard caller.uid == 0 || caller.uid == access.daemonUser else {
            throw RPCError(.permissionDenied, "Not allowed: \(action) is for root and loopd's own user (you are \(caller.name)).")
        }
    }

    /// An admin on the web does not demote or remove themselves, which could leave no one to
    /// undo it there; the server's own users (loopctl) may.
    private func refuseOwnAccount(_ name: String, _ context: RPCContext, _ action: String) async throws {
        guard let account = try await access.caller(context).account, account.name.lowercased() == name.lowercased() else { return }
        throw RPCError(.permissionDenied, "Not allowed: you cannot \(action) from the web; another admin, or loopctl user on the server, can.")
    }

    static func noSuchAccount(_ name: String) -> RPCError {
        RPCError(.noSuchAccount, "No such account: there is no account named '\(name)'.")
    }

    /// The web service itself: root or loopd's own user, by the socket's credentials.
    private func requireWebService(_ context: RPCContext, _ action: String) throws(RPCError) {
        let uid = context.peer?.uid ?? 65534
        guard uid == 0 || uid == access.daemonUser else {
            throw RPCError(.permissionDenied, "Not allowed: \(action) is for the web service, which runs as root or loopd's own user (you are \(UnixUsers.name(of: uid))).")
        }
    }

    /// 32 random bytes, base64url: 256 bits no one guesses, safe in a header and a URL.
    static func newToken(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return prefix + text.replacingOccurrences(of: "=", with: "")
    }

    /// Tokens are kept by their SHA-256 only: a copy of the index reveals none of them.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A hash no password matches, checked when the account does not exist or has no password.
    static let decoyHash = Bcrypt.hash(newToken(prefix: ""), cost: bcryptCost)

    /// bcrypt takes a quarter of a second: it runs on a Dispatch thread, not the tasks' pool.
    static func bcrypt(_ password: String) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Bcrypt.hash(password, cost: bcryptCost)) }
        }
    }

    static func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
    }
}
