import Foundation
import GRDB
import LoopAPI

/// Login sessions and invitations, kept by the SHA-256 of their token, and the record of what web
/// accounts changed.
extension IndexStore {
    public func addSession(hash: String, account: String, expiresAt: Date, now: Date = Date()) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM loginSession WHERE expiresAt <= ?", arguments: [now.timeIntervalSince1970])
            try db.execute(
                sql: "INSERT INTO loginSession (tokenHash, account, createdAt, expiresAt) VALUES (?, (SELECT name FROM account WHERE name = ?), ?, ?)",
                arguments: [hash, account, now.timeIntervalSince1970, expiresAt.timeIntervalSince1970]
            )
        }
    }

    /// The account of a session that has not expired.
    public func account(forSessionHash hash: String, now: Date = Date()) async throws -> Account? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: """
                    SELECT account.name, role, unixUser, account.createdAt FROM loginSession
                    JOIN account ON account.name = loginSession.account WHERE tokenHash = ? AND expiresAt > ?
                    """,
                arguments: [hash, now.timeIntervalSince1970]
            ).flatMap(Self.account)
        }
    }

    public func deleteSession(hash: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM loginSession WHERE tokenHash = ?", arguments: [hash]) }
    }

    public func addInvitation(hash: String, request: AccountRequest, expiresAt: Date, now: Date = Date()) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM invitation WHERE expiresAt <= ?", arguments: [now.timeIntervalSince1970])
            try db.execute(
                sql: "INSERT INTO invitation (tokenHash, name, role, unixUser, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [hash, request.name, request.role.rawValue, request.unixUser, now.timeIntervalSince1970, expiresAt.timeIntervalSince1970]
            )
        }
    }

    /// Turns an invitation into its account with the password hash, in one transaction: an
    /// invitation is used once. Nil when there is no such invitation, or it has expired.
    public func acceptInvitation(hash: String, passwordHash: String, now: Date = Date()) async throws -> Account? {
        try await pool.write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT name, role, unixUser FROM invitation WHERE tokenHash = ? AND expiresAt > ?",
                arguments: [hash, now.timeIntervalSince1970]
            ), let role = AccountRole(rawValue: row[1]) else { return nil }
            try db.execute(sql: "DELETE FROM invitation WHERE tokenHash = ?", arguments: [hash])
            return try Self.saveAccount(AccountRequest(name: row[0], role: role, unixUser: row[2]), passwordHash: passwordHash, now: now, in: db)
        }
    }

    /// Records that a web account changed something (loopd learns who from loopweb's delegation).
    public func recordActivity(account: String, action: String, detail: String?, now: Date = Date()) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO accountActivity (at, account, action, detail) VALUES (?, ?, ?, ?)",
                arguments: [now.timeIntervalSince1970, account, action, detail]
            )
        }
    }

    public func activity(account: String, limit: Int = 100) async throws -> [AccountActivity] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT at, account, action, detail FROM accountActivity WHERE account = ? ORDER BY id DESC LIMIT ?",
                arguments: [account, limit]
            ).map { AccountActivity(at: $0[0], account: $0[1], action: $0[2], detail: $0[3]) }
        }
    }
}
