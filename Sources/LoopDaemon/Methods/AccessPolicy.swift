#if canImport(Glibc)
import Glibc
#endif
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC

/// Who may change what. Reading is open to whoever reaches the socket;
/// shared data (tags, shared collections, added files, backups) may be
/// changed by root, by loopd's own user, and by members of the configured
/// writers group; favourites and private collections belong to their user.
///
/// A request from the web service names the web account it is made for (`onBehalfOf`); loopd
/// believes that from root and its own user only, and then the account's role decides what may
/// change, and its Unix user (or, without one, the account's own owner id) whose favourites,
/// collections and read permission apply.
struct AccessPolicy: Sendable {
    /// The writers group's id; nil when none is configured (or it does not exist).
    let writersGroup: UInt32?
    let writersGroupName: String?
    let daemonUser: UInt32
    /// Whether readers see only files they may read on disk.
    let visibility: FileVisibility

    /// The web account of a delegated request, with the owner id (nil when there is no such account).
    let webAccounts: @Sendable (String) async throws -> (account: Account, webOwner: UInt32)?

    init(
        writersGroupName: String?, visibility: FileVisibility = .permissions, daemonUser: UInt32 = getuid(),
        webAccounts: @escaping @Sendable (String) async throws -> (account: Account, webOwner: UInt32)? = { _ in nil }
    ) {
        self.writersGroupName = writersGroupName
        self.visibility = visibility
        writersGroup = writersGroupName.flatMap(UnixUsers.gid(ofGroup:))
        self.daemonUser = daemonUser
        self.webAccounts = webAccounts
    }

    /// The user of a request; a connection whose credentials could not be read acts as nobody.
    func caller(_ context: RPCContext) async throws(RPCError) -> Caller {
        let peer = context.peer ?? PeerCredentials(pid: 0, uid: 65534, gid: 65534)
        guard let name = context.onBehalfOf else { return Caller(uid: peer.uid, gid: peer.gid, policy: self) }
        guard peer.uid == 0 || peer.uid == daemonUser else {
            throw RPCError(.permissionDenied, "Not allowed: only the web service (root or loopd's own user) may act for a web account (you are \(UnixUsers.name(of: peer.uid))).")
        }
        let found: (account: Account, webOwner: UInt32)?
        do { found = try await webAccounts(name) } catch { throw IndexErrors.rpcError(for: error) }
        guard let found else { throw RPCError(.noSuchAccount, "No such account: there is no account named '\(name)'.") }
        return Caller(delegateOf: found.account, webOwner: found.webOwner, policy: self)
    }

    func mayChangeShared(uid: UInt32, gid: UInt32) -> Bool {
        if uid == 0 || uid == daemonUser { return true }
        guard let writersGroup else { return false }
        return UnixUsers.groups(of: uid, primary: gid).contains(writersGroup)
    }

    /// Why a user without write access is refused, for the error message.
    var whoMayWrite: String {
        if let writersGroupName { return "root, loopd's own user and members of the group '\(writersGroupName)'" }
        return "root and loopd's own user (set access.writers to name a group)"
    }
}

/// The user behind one request.
struct Caller: Sendable {
    /// Whose favourites and private collections these are: the Unix user, or a web account's owner id.
    let uid: UInt32
    let gid: UInt32
    let policy: AccessPolicy
    /// The web account the request is made for, when the web service made it.
    let account: Account?

    init(uid: UInt32, gid: UInt32, policy: AccessPolicy) {
        self.uid = uid
        self.gid = gid
        self.policy = policy
        account = nil
    }

    /// A web account's caller: its Unix user when it has one, else its own owner id, which no
    /// file belongs to, so that only what everyone may read is shown.
    init(delegateOf account: Account, webOwner: UInt32, policy: AccessPolicy) {
        if let user = account.unixUser, let uid = UnixUsers.uid(of: user) {
            self.uid = uid
            gid = UnixUsers.primaryGroup(of: uid) ?? 65534
        } else {
            uid = webOwner
            gid = 65534
        }
        self.policy = policy
        self.account = account
    }

    var name: String { account.map { "web account \($0.name)" } ?? UnixUsers.name(of: uid) }

    /// A web account by its role (the web service decides who it is); anyone else by user and group.
    var mayChangeShared: Bool {
        if let account { return account.role >= .writer }
        return policy.mayChangeShared(uid: uid, gid: gid)
    }

    /// The check of what this caller may learn about a file; nil when they may learn
    /// everything (root, loopd's own user, or `visibility = "everyone"`).
    func readPermission() -> ReadPermission? {
        guard policy.visibility == .permissions else { return nil }
        if account != nil {
            return AccountOwners.isWebOwner(uid) ? ReadPermission(.anyone) : ReadPermission(uid: uid, gid: gid)
        }
        guard uid != 0, uid != policy.daemonUser else { return nil }
        return ReadPermission(uid: uid, gid: gid)
    }

    /// Throws the refusal when this user may not change shared data.
    func requireWriteAccess(_ action: String) throws(RPCError) {
        if let account, account.role < AccountRole.writer {
            throw RPCError(.permissionDenied, "Not allowed: \(action) changes shared data, which a reader may not do (web account \(account.name) is a reader).")
        }
        guard mayChangeShared else {
            throw RPCError(.permissionDenied, "Not allowed: \(action) changes shared data, which only \(policy.whoMayWrite) may do (you are \(name)).")
        }
    }
}
