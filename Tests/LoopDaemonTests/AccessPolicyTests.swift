#if canImport(Glibc)
import Glibc
#endif
import LoopAPI
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

/// Requests the web service makes for an account.
@Suite struct DelegationTests {
    static let daemonUser: UInt32 = 4242
    let policy = AccessPolicy(writersGroupName: nil, daemonUser: DelegationTests.daemonUser) { name in
        switch name {
        case "alice": (Account(name: "alice", role: .reader, createdAt: 0), 0xF000_0001)
        case "walt": (Account(name: "walt", role: .writer, createdAt: 0), 0xF000_0002)
        default: nil
        }
    }

    func context(uid: UInt32, for name: String?) -> RPCContext {
        var context = RPCContext(peer: PeerCredentials(pid: 1, uid: uid, gid: uid))
        context.onBehalfOf = name
        return context
    }

    @Test func theWebServiceActsForAnAccountWithItsRoleAndOwnerId() async throws {
        let alice = try await policy.caller(context(uid: Self.daemonUser, for: "alice"))
        #expect(alice.account?.name == "alice" && alice.uid == 0xF000_0001 && !alice.mayChangeShared)
        #expect(throws: RPCError.self) { try alice.requireWriteAccess("tagging") }
        let walt = try await policy.caller(context(uid: 0, for: "walt"))
        #expect(walt.mayChangeShared && walt.uid == 0xF000_0002)
        // An account without a Unix user sees what everyone may read, not what loopd's user may.
        #expect(alice.readPermission() != nil)
    }

    @Test func nobodyElseMayActForAnAccountAndUnknownAccountsAreRefused() async throws {
        let refused = await #expect(throws: RPCError.self) { try await policy.caller(context(uid: 1234, for: "walt")) }
        #expect(refused?.code == RPCErrorCode.permissionDenied.rawValue)
        let unknown = await #expect(throws: RPCError.self) { try await policy.caller(context(uid: Self.daemonUser, for: "mallory")) }
        #expect(unknown?.code == RPCErrorCode.noSuchAccount.rawValue)
        let plain = try await policy.caller(context(uid: 1234, for: nil))
        #expect(plain.account == nil && plain.uid == 1234)
    }
}
