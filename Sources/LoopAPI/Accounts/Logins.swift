/// Params of `session.create`: a name and password, as typed on the login page.
public struct LoginRequest: Codable, Sendable, Equatable {
    public var name: String
    public var password: String

    public init(name: String, password: String) {
        self.name = name
        self.password = password
    }
}

/// A new login session: its token (shown this once; loopd keeps its hash) and when it ends.
public struct SessionGrant: Codable, Sendable, Equatable {
    public var account: Account
    public var token: String
    /// Seconds since 1970.
    public var expires: Double

    public init(account: Account, token: String, expires: Double) {
        self.account = account
        self.token = token
        self.expires = expires
    }
}

/// Params of `invitation.create`: the account the invitation will make.
public struct InvitationRequest: Codable, Sendable, Equatable {
    public var name: String
    public var role: AccountRole
    public var unixUser: String?
    /// Seconds the invitation stays valid; a week when absent, 30 days at most.
    public var expiresIn: Double?

    public init(name: String, role: AccountRole, unixUser: String? = nil, expiresIn: Double? = nil) {
        self.name = name
        self.role = role
        self.unixUser = unixUser
        self.expiresIn = expiresIn
    }

    public static let defaultLifetime: Double = 7 * 86_400
    public static let longestLifetime: Double = 30 * 86_400
}

/// An invitation: its token, shown this once, for the invitation page.
public struct InvitationGrant: Codable, Sendable, Equatable {
    public var name: String
    public var token: String
    public var expires: Double

    public init(name: String, token: String, expires: Double) {
        self.name = name
        self.token = token
        self.expires = expires
    }
}

/// Params of `invitation.accept`: the invitation's token and the password its account will have.
public struct InvitationAcceptance: Codable, Sendable, Equatable {
    public var token: String
    public var password: String

    public init(token: String, password: String) {
        self.token = token
        self.password = password
    }
}

/// Params of `account.activity`.
public struct ActivityRequest: Codable, Sendable, Equatable {
    public var account: String
    public var limit: Int?

    public init(account: String, limit: Int? = nil) {
        self.account = account
        self.limit = limit
    }
}

/// One change a web account made, as loopd recorded it.
public struct AccountActivity: Codable, Sendable, Equatable {
    public var at: Double
    public var account: String
    /// The method that made the change (`favourite`, `collection.add`, ...).
    public var action: String
    public var detail: String?

    public init(at: Double, account: String, action: String, detail: String?) {
        self.at = at
        self.account = account
        self.action = action
        self.detail = detail
    }
}

/// Params of `account.usage`.
public struct UsageRequest: Codable, Sendable, Equatable {
    public var account: String

    public init(account: String) { self.account = account }
}

/// What an account's uploads take in the library now (files deleted since no longer count).
public struct AccountUsage: Codable, Sendable, Equatable {
    public var account: String
    public var bytes: Int64
    public var files: Int

    public init(account: String, bytes: Int64, files: Int) {
        self.account = account
        self.bytes = bytes
        self.files = files
    }
}
