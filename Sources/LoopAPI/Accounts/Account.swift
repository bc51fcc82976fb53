/// What an account may do over the web: readers search, audition and download; writers also
/// upload, tag and share; admins also manage accounts.
public enum AccountRole: String, Codable, Sendable, CaseIterable, Comparable {
    case reader, writer, admin

    public static func < (lhs: AccountRole, rhs: AccountRole) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// A person who reaches the library through `loopweb`. loopd keeps the accounts, so the web,
/// Samba and loopctl agree on who is who.
public struct Account: Codable, Sendable, Equatable {
    public var name: String
    public var role: AccountRole
    /// The Unix user whose favourites and collections this account shares, if any.
    public var unixUser: String?
    public var createdAt: Double

    public init(name: String, role: AccountRole, unixUser: String? = nil, createdAt: Double) {
        self.name = name
        self.role = role
        self.unixUser = unixUser
        self.createdAt = createdAt
    }

    /// Letters, digits, '.', '_', '-', '@' and '+', 1 to 64 of them: safe in URLs, logs and file
    /// names, and an e-mail address fits (the identity a proxy such as Cloudflare Access gives).
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-@+".contains($0)) }
    }
}

/// Params of `account.add`.
public struct AccountRequest: Codable, Sendable, Equatable {
    public var name: String
    public var role: AccountRole
    public var unixUser: String?
    /// The account's new password; none keeps the one it has (an account without one cannot log
    /// in, though its tokens work).
    public var password: String?

    public init(name: String, role: AccountRole, unixUser: String? = nil, password: String? = nil) {
        self.name = name
        self.role = role
        self.unixUser = unixUser
        self.password = password
    }
}

/// What a password must be: 8 to 72 bytes (bcrypt reads no further, and a longer one would be
/// cut without a word).
public enum PasswordRules {
    public static let bytes = 8...72

    /// Why the password is refused, or nil when it is usable.
    public static func problem(_ password: String) -> String? {
        let count = password.utf8.count
        if count < bytes.lowerBound { return "a password needs at least \(bytes.lowerBound) characters" }
        if count > bytes.upperBound { return "a password may take at most \(bytes.upperBound) bytes" }
        return nil
    }
}

/// Params of `token.create`.
public struct TokenRequest: Codable, Sendable, Equatable {
    public var account: String
    /// What the token is for ("laptop", "DAW"), shown when tokens are listed.
    public var label: String?

    public init(account: String, label: String? = nil) {
        self.account = account
        self.label = label
    }
}

/// The reply to `token.create`: the token itself, shown this once (loopd keeps only its hash).
public struct TokenGrant: Codable, Sendable, Equatable {
    public var account: String
    public var token: String

    public init(account: String, token: String) {
        self.account = account
        self.token = token
    }
}

/// Params of `token.verify`, which only the web service's user may call.
public struct TokenCheck: Codable, Sendable, Equatable {
    public var token: String
    public init(token: String) { self.token = token }
}

/// Params of `account.role`: an account's new role.
public struct AccountRoleChange: Codable, Sendable, Equatable {
    public var name: String
    public var role: AccountRole

    public init(name: String, role: AccountRole) {
        self.name = name
        self.role = role
    }
}

/// Params of `account.remove`.
public struct AccountRemoval: Codable, Sendable, Equatable {
    public var name: String

    public init(name: String) { self.name = name }
}
