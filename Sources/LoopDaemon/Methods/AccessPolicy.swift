#if canImport(Glibc)
import Glibc
#endif
import LoopCore
import LoopRPC

/// Who may change what. Reading is open to whoever reaches the socket;
/// shared data (tags, shared collections, added files, backups) may be
/// changed by root, by loopd's own user, and by members of the configured
/// writers group; favourites and private collections belong to their user.
struct AccessPolicy: Sendable {
    /// The writers group's id; nil when none is configured (or it does not exist).
    let writersGroup: UInt32?
    let writersGroupName: String?
    let daemonUser: UInt32
    /// Whether readers see only files they may read on disk.
    let visibility: FileVisibility

    init(writersGroupName: String?, visibility: FileVisibility = .permissions, daemonUser: UInt32 = getuid()) {
        self.writersGroupName = writersGroupName
        self.visibility = visibility
        writersGroup = writersGroupName.flatMap(UnixUsers.gid(ofGroup:))
        self.daemonUser = daemonUser
    }

    /// The user of a request; a connection whose credentials could not be read acts as nobody.
    func caller(_ context: RPCContext) -> Caller {
        let peer = context.peer ?? PeerCredentials(pid: 0, uid: 65534, gid: 65534)
        return Caller(uid: peer.uid, gid: peer.gid, policy: self)
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
    let uid: UInt32
    let gid: UInt32
    let policy: AccessPolicy

    var name: String { UnixUsers.name(of: uid) }
    var mayChangeShared: Bool { policy.mayChangeShared(uid: uid, gid: gid) }

    /// The check of what this caller may learn about a file; nil when they may learn
    /// everything (root, loopd's own user, or `visibility = "everyone"`).
    func readPermission() -> ReadPermission? {
        guard policy.visibility == .permissions, uid != 0, uid != policy.daemonUser else { return nil }
        return ReadPermission(uid: uid, gid: gid)
    }

    /// Throws the refusal when this user may not change shared data.
    func requireWriteAccess(_ action: String) throws(RPCError) {
        guard mayChangeShared else {
            throw RPCError(.permissionDenied, "Not allowed: \(action) changes shared data, which only \(policy.whoMayWrite) may do (you are \(name)).")
        }
    }
}
