import Foundation
import GRDB
import LoopAPI

/// Web accounts and their API tokens (`loopweb` checks each request's token through loopd).
extension IndexStore {
    /// Adds an account, or changes the role and Unix user of the one of that name; a password
    /// hash given replaces the account's, none keeps it.
    public func saveAccount(_ request: AccountRequest, passwordHash: String? = nil, now: Date = Date()) async throws -> Account {
        try await pool.write { db in try Self.saveAccount(request, passwordHash: passwordHash, now: now, in: db) }
    }

    static func saveAccount(_ request: AccountRequest, passwordHash: String?, now: Date, in db: Database) throws -> Account {
        try db.execute(
            sql: """
                INSERT INTO account (name, role, unixUser, createdAt, passwordHash, webOwnerUid)
                VALUES (?, ?, ?, ?, ?, \(AccountOwners.nextWebOwner))
                ON CONFLICT(name) DO UPDATE SET role = excluded.role, unixUser = excluded.unixUser,
                    passwordHash = COALESCE(excluded.passwordHash, account.passwordHash)
                """,
            arguments: [request.name, request.role.rawValue, request.unixUser, now.timeIntervalSince1970, passwordHash]
        )
        return try account(named: request.name, in: db) ?? Account(name: request.name, role: request.role, unixUser: request.unixUser, createdAt: now.timeIntervalSince1970)
    }

    /// The account of that name with its password hash (nil when it has no password).
    public func accountWithPassword(named name: String) async throws -> (account: Account, passwordHash: String?)? {
        try await pool.read { db in
            guard let account = try Self.account(named: name, in: db) else { return nil }
            let hash = try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE name = ?", arguments: [name])
            return (account, hash)
        }
    }

    /// The account of that name with the id that holds its favourites and private collections
    /// when it has no Unix user (one per account, above the ids Linux hands out to users): one
    /// read, made for every request the web service makes for an account.
    public func webAccount(named name: String) async throws -> (account: Account, webOwner: UInt32)? {
        try await pool.read { db in try Self.webAccount(named: name, in: db) }
    }

    static func webAccount(named name: String, in db: Database) throws -> (account: Account, webOwner: UInt32)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT name, role, unixUser, createdAt, webOwnerUid FROM account WHERE name = ?", arguments: [name]),
              let account = account(row), let owner = (row[4] as Int64?).flatMap({ UInt32(exactly: $0) })
        else { return nil }
        return (account, owner)
    }

    /// Gives an account another role; nil when there is no such account.
    public func setRole(_ role: AccountRole, ofAccount name: String) async throws -> Account? {
        try await pool.write { db in
            try db.execute(sql: "UPDATE account SET role = ? WHERE name = ?", arguments: [role.rawValue, name])
            return try Self.account(named: name, in: db)
        }
    }

    /// Removes an account with its tokens and sessions, and, when it has no Unix user of its own,
    /// its favourites and private collections. Its shared collections stay: they are everyone's.
    /// Nil when there is no such account.
    public func removeAccount(named name: String) async throws -> Account? {
        try await pool.write { db in
            guard let (account, owner) = try Self.webAccount(named: name, in: db) else { return nil }
            if account.unixUser == nil {
                try db.execute(sql: "DELETE FROM favourite WHERE uid = ?", arguments: [Int64(owner)])
                try db.execute(sql: "DELETE FROM collection WHERE ownerUid = ? AND NOT shared", arguments: [Int64(owner)])
            }
            try db.execute(sql: "DELETE FROM account WHERE name = ?", arguments: [name])
            return account
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

    static func account(named name: String, in db: Database) throws -> Account? {
        try Row.fetchOne(db, sql: "SELECT name, role, unixUser, createdAt FROM account WHERE name = ?", arguments: [name]).flatMap(account)
    }

    /// A row of `name, role, unixUser, createdAt`; nil for a role this version does not know.
    static func account(_ row: Row) -> Account? {
        guard let role = AccountRole(rawValue: row[1]) else { return nil }
        return Account(name: row[0], role: role, unixUser: row[2], createdAt: row[3])
    }

    /// The bytes and files in the library (online) that the account's uploads added.
    public func usage(account: String) async throws -> AccountUsage {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COALESCE(SUM(size), 0), COUNT(*) FROM file WHERE uploadedBy = ? COLLATE NOCASE AND missingSince IS NULL", arguments: [account]
            )
            return AccountUsage(account: account, bytes: row?[0] ?? 0, files: row?[1] ?? 0)
        }
    }
}
