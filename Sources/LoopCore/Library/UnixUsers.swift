#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// User and group names from the system's databases (`getpwuid_r` and
/// friends), cached: search results name each file's owner.
public enum UnixUsers {
    private static let names = Mutex<[UInt32: String]>([:])

    /// The user's login name, or the uid as text when it has none.
    public static func name(of uid: UInt32) -> String {
        if let cached = names.withLock({ $0[uid] }) { return cached }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let name: String
        if getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let login = entry.pw_name {
            name = String(cString: login)
        } else {
            name = String(uid)
        }
        names.withLock { $0[uid] = name }
        return name
    }

    /// The uid of a login name, or of a number given as text; nil when unknown.
    public static func uid(of name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.pw_uid
    }

    /// The user's primary group; nil for an unknown user.
    public static func primaryGroup(of uid: UInt32) -> UInt32? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.pw_gid
    }

    /// The group id of a group name, or of a number given as text; nil when unknown.
    public static func gid(ofGroup name: String) -> UInt32? {
        if let number = UInt32(name) { return number }
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }

    /// Every group the user belongs to: the primary one and the supplementary ones.
    public static func groups(of uid: UInt32, primary gid: UInt32) -> Set<UInt32> {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let login = entry.pw_name else { return [gid] }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(login, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(login, gid, &groups, &count)
        }
        return Set(groups.prefix(Int(max(count, 0)))).union([gid])
    }
}
