import Crypto
import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC

/// Web accounts and API tokens. Managing them is for root and loopd's own user (`loopctl user`
/// and `loopctl token` on the server); checking a token is for the web service, which runs as
/// one of them.
struct AccountMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.accountAdd) { request, context in
            try requireAdministrator(context, "adding an account")
            guard Account.isValidName(request.name) else {
                throw RPCError(.invalidParams, "Invalid params: '\(request.name)' is not a usable account name: use 1 to 64 letters, digits, '.', '_' or '-'.")
            }
            if let user = request.unixUser, UnixUsers.uid(of: user) == nil {
                throw RPCError(.invalidParams, "Invalid params: there is no Unix user '\(user)' on this server.")
            }
            return try await IndexErrors.mapped { try await daemon.store.saveAccount(request) }
        }
        dispatcher.register(LoopMethod.accounts) { _, context in
            try requireAdministrator(context, "listing accounts")
            return try await IndexErrors.mapped { try await daemon.store.accounts() }
        }
        dispatcher.register(LoopMethod.tokenCreate) { request, context in
            try requireAdministrator(context, "creating a token")
            let token = Self.newToken()
            let added = try await IndexErrors.mapped { try await daemon.store.addToken(hash: Self.hash(token), account: request.account, label: request.label) }
            guard added else { throw RPCError(.noSuchAccount, "No such account: there is no account named '\(request.account)' (add it with loopctl user add).") }
            return TokenGrant(account: request.account, token: token)
        }
        dispatcher.register(LoopMethod.tokenVerify) { check, context in
            try requireAdministrator(context, "checking a token")
            guard check.token.utf8.count <= 256,
                  let account = try await IndexErrors.mapped({ try await daemon.store.account(forTokenHash: Self.hash(check.token)) })
            else {
                throw RPCError(.noSuchAccount, "No such account: the token is not valid.")
            }
            return account
        }
    }

    private func requireAdministrator(_ context: RPCContext, _ action: String) throws(RPCError) {
        let caller = access.caller(context)
        guard caller.uid == 0 || caller.uid == access.daemonUser else {
            throw RPCError(.permissionDenied, "Not allowed: \(action) is for root and loopd's own user (you are \(caller.name)).")
        }
    }

    /// 32 random bytes, base64url: 256 bits no one guesses, safe in a header and a URL.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "olp_" + text.replacingOccurrences(of: "=", with: "")
    }

    /// Tokens are kept by their SHA-256 only: a copy of the index reveals none of them.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
