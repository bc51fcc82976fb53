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
        subcommands: [Add.self, List.self],
        defaultSubcommand: List.self
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account, or change the role of one.",
            discussion: "Roles: reader (search, audition, download), writer (also upload, tag, share), admin (also accounts)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account's name: letters, digits, '.', '_' or '-'.") var name: String
        @Option(help: "reader, writer or admin.") var role: AccountRole = .reader
        @Option(name: .customLong("unix-user"), help: ArgumentHelp("Share favourites and collections with this Unix user.", valueName: "user"))
        var unixUser: String?

        func run() throws {
            let account: Account = try global.call(LoopMethod.accountAdd, AccountRequest(name: name, role: role, unixUser: unixUser))
            if global.json { return try global.printJSON(account) }
            output("The account '\(account.name)' is a \(account.role.rawValue). Give it a token with: loopctl token create \(account.name)")
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
