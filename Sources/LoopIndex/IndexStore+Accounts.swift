import Foundation
import GRDB
import LoopAPI

/// Web accounts and their API tokens (`loopweb` checks each request's token through loopd).
extension IndexStore {
    /// Adds an account, or changes the role and Unix user of the one of that name.
    public func saveAccount(_ request: AccountRequest, now: Date = Date()) async throws -> Account {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO account (name, role, unixUser, createdAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET role = excluded.role, unixUser = excluded.unixUser
                    """,
                arguments: [request.name, request.role.rawValue, request.unixUser, now.timeIntervalSince1970]
            )
            return try Self.account(named: request.name, in: db) ?? Account(name: request.name, role: request.role, unixUser: request.unixUser, createdAt: now.timeIntervalSince1970)
        }
    }

    public func accounts() async throws -> [Account] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, role, unixUser, createdAt FROM account ORDER BY name").compactMap(Self.account)
        }
    }

    public func account(named name: String) async throws -> Account? {
        try await pool.read { db in try Self.account(named: name, in: db) }
    }

    /// Keeps a token's hash for the account; false when there is no such account.
    public func addToken(hash: String, account: String, label: String?, now: Date = Date()) async throws -> Bool {
        try await pool.write { db in
            guard try Self.account(named: account, in: db) != nil else { return false }
            try db.execute(
                sql: "INSERT INTO apiToken (tokenHash, account, label, createdAt) VALUES (?, (SELECT name FROM account WHERE name = ?), ?, ?)",
                arguments: [hash, account, label, now.timeIntervalSince1970]
            )
            return true
        }
    }

    /// The account a token's hash belongs to.
    public func account(forTokenHash hash: String) async throws -> Account? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT account.name, role, unixUser, account.createdAt FROM apiToken JOIN account ON account.name = apiToken.account WHERE tokenHash = ?",
                arguments: [hash]
            ).flatMap(Self.account)
        }
    }

    private static func account(named name: String, in db: Database) throws -> Account? {
        try Row.fetchOne(db, sql: "SELECT name, role, unixUser, createdAt FROM account WHERE name = ?", arguments: [name]).flatMap(account)
    }

    /// A row of `name, role, unixUser, createdAt`; nil for a role this version does not know.
    private static func account(_ row: Row) -> Account? {
        guard let role = AccountRole(rawValue: row[1]) else { return nil }
        return Account(name: row[0], role: role, unixUser: row[2], createdAt: row[3])
    }
}
