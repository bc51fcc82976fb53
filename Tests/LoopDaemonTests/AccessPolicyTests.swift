#if canImport(Glibc)
import Glibc
#endif
import LoopCore
@testable import LoopDaemon
import LoopRPC
import Testing

/// Who may change shared data, from the system's real users and groups.
@Suite struct AccessPolicyTests {
    static let daemonUser: UInt32 = 4242

    @Test func rootAndLoopdsOwnUserMayAlwaysWrite() throws {
        let policy = AccessPolicy(writersGroupName: nil, daemonUser: Self.daemonUser)
        #expect(policy.mayChangeShared(uid: 0, gid: 0))
        #expect(policy.mayChangeShared(uid: Self.daemonUser, gid: 100))
        #expect(!policy.mayChangeShared(uid: 1234, gid: 1234))
        let refusal = #expect(throws: RPCError.self) {
            try Caller(uid: 1234, gid: 1234, policy: policy).requireWriteAccess("tag")
        }
        #expect(refusal?.code == RPCErrorCode.permissionDenied.rawValue)
        #expect(refusal?.message.contains("set access.writers") == true, "the refusal says how to allow more users")
    }

    @Test func membersOfTheWritersGroupMayWrite() throws {
        // The root group exists on every system; a user whose primary group it is belongs to it.
        let rootGroup = try #require(getgrgid(0).map { String(cString: $0.pointee.gr_name) })
        let policy = AccessPolicy(writersGroupName: rootGroup, daemonUser: Self.daemonUser)
        #expect(policy.writersGroup == 0)
        #expect(policy.mayChangeShared(uid: 1234, gid: 0))
        #expect(!policy.mayChangeShared(uid: 1234, gid: 1234))
        #expect(policy.whoMayWrite.contains("'\(rootGroup)'"))
    }

    @Test func aWritersGroupThatDoesNotExistAdmitsNobodyElse() {
        let policy = AccessPolicy(writersGroupName: "no-such-group-\(getpid())", daemonUser: Self.daemonUser)
        #expect(policy.writersGroup == nil)
        #expect(!policy.mayChangeShared(uid: 1234, gid: 0))
        #expect(policy.mayChangeShared(uid: 0, gid: 0))
    }

    @Test func onlyOrdinaryUsersAreLimitedToWhatTheyMayRead() {
        let policy = AccessPolicy(writersGroupName: nil, visibility: .permissions, daemonUser: Self.daemonUser)
        #expect(Caller(uid: 1234, gid: 1234, policy: policy).readPermission() != nil)
        #expect(Caller(uid: 0, gid: 0, policy: policy).readPermission() == nil)
        #expect(Caller(uid: Self.daemonUser, gid: 1, policy: policy).readPermission() == nil)
        let open = AccessPolicy(writersGroupName: nil, visibility: .everyone, daemonUser: Self.daemonUser)
        #expect(Caller(uid: 1234, gid: 1234, policy: open).readPermission() == nil)
    }
}
