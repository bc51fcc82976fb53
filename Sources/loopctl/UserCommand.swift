import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

extension AccountRole: ExpressibleByArgument {}

/// `loopctl user ...`: the accounts that reach the library through loopweb.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Web accounts: who may reach the library through loopweb (root or loopd's own user only).",
        subcommands: [Add.self, List.self, Role.self, Remove.self, Invite.self, Activity.self],
        defaultSubcommand: List.self
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account, or change the role of one; its password is read from stdin.",
            discussion: """
                Roles: reader (search, audition, download), writer (also upload, tag, share), admin (also accounts).
                The password is the first line of stdin (asked for without echo on a terminal); 8 to 72 bytes.
                With --no-password the account keeps the password it has, or has none (its tokens still work).
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's name: letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "reader, writer or admin.") var role: AccountRole = .reader
        @Option(name: .customLong("unix-user"), help: ArgumentHelp("Share favourites and collections with this Unix user.", valueName: "user"))
        var unixUser: String?
        @Flag(name: .customLong("no-password"), help: "Do not read or change the password.") var noPassword = false

        func validate() throws {
            // Before the password is asked for.
            guard Account.isValidName(name) else {
                throw ValidationError("'\(name)' is not a usable account name: use 1 to 64 letters, digits, '.', '_' or '-'.")
            }
        }

        func run() throws {
            let password = noPassword ? nil : try PasswordInput.read(prompt: "Password for \(name): ")
            let account: Account = try global.call(LoopMethod.accountAdd, AccountRequest(name: name, role: role, unixUser: unixUser, password: password))
            if global.json { return try global.printJSON(account) }
            let login = password == nil ? "Give it a token with: loopctl token create \(account.name)" : "It may log in to loopweb now."
            output("The account '\(account.name)' is a \(account.role.rawValue). \(login)")
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give an account another role, keeping its password and tokens.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String
        @Argument(help: "reader, writer or admin.") var role: AccountRole

        func run() throws {
            let account: Account = try global.call(LoopMethod.accountRole, AccountRoleChange(name: name, role: role))
            if global.json { return try global.printJSON(account) }
            output("The account '\(account.name)' is a \(account.role.rawValue) now.")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an account: its tokens and sessions end at once.",
            discussion: """
                Without a Unix user of its own, its favourites and private collections go too; collections it \
                shared stay, and so do the files it uploaded and the record of what it changed.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String

        func run() throws {
            let account: Account = try global.call(LoopMethod.accountRemove, AccountRemoval(name: name))
            if global.json { return try global.printJSON(account) }
            output("Removed the account '\(account.name)'.")
        }
    }

    struct Invite: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an invitation: a link with which someone sets their password and logs in, once.",
            discussion: "Without --url, the token is printed; the invitation page is /invite/TOKEN on loopweb's public address."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account the invitation makes.") var name: String
        @Option(help: "reader, writer or admin.") var role: AccountRole = .reader
        @Option(name: .customLong("unix-user"), help: ArgumentHelp("Share favourites and collections with this Unix user.", valueName: "user"))
        var unixUser: String?
        @Option(name: .customLong("expires-in"), help: ArgumentHelp("How long the invitation lasts, in days (at most 30).", valueName: "days"))
        var days: Double = 7
        @Option(help: ArgumentHelp("loopweb's public address, to print the whole link.", valueName: "url")) var url: String?

        func run() throws {
            let grant: InvitationGrant = try global.call(
                LoopMethod.invitationCreate, InvitationRequest(name: name, role: role, unixUser: unixUser, expiresIn: days * 86_400)
            )
            if global.json { return try global.printJSON(grant) }
            if let url {
                output((url.hasSuffix("/") ? String(url.dropLast()) : url) + "/invite/" + grant.token)
            } else {
                output(grant.token)
            }
        }
    }

    struct Activity: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What an account changed over the web, newest first.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String
        @Option(help: "How many changes to show (at most 1000).") var limit = 20

        func run() throws {
            let entries: [AccountActivity] = try global.call(LoopMethod.accountActivity, ActivityRequest(account: name, limit: limit))
            if global.json { return try global.printJSON(entries) }
            guard !entries.isEmpty else { return output("No changes by '\(name)' over the web.") }
            let rows = entries.map { [Formatting.date($0.at), $0.action, $0.detail ?? ""] }
            output(RecordTable.align([["WHEN", "WHAT", "DETAIL"]] + rows, rightAligned: []))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let accounts: [Account] = try global.call(LoopMethod.accounts)
            if global.json { return try global.printJSON(accounts) }
            guard !accounts.isEmpty else { return output("No accounts: add one with loopctl user add NAME --role reader|writer|admin.") }
            output(RecordTable.align([["NAME", "ROLE", "UNIX USER"]] + accounts.map { [$0.name, $0.role.rawValue, $0.unixUser ?? "-"] }, rightAligned: []))
        }
    }
}

/// `loopctl token create NAME`: an API token for an account (`Authorization: Bearer TOKEN`).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "API tokens for web accounts (root or loopd's own user only).",
        subcommands: [Create.self],
        defaultSubcommand: Create.self
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new token for an account; it is shown once (loopd keeps only its hash)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String
        @Option(help: "What the token is for, such as 'laptop'.") var label: String?

        func run() throws {
            let grant: TokenGrant = try global.call(LoopMethod.tokenCreate, TokenRequest(account: name, label: label))
            if global.json { return try global.printJSON(grant) }
            output(grant.token)
        }
    }
}
