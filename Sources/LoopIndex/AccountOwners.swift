/// Where the owner ids of web accounts without a Unix user start: favourites and collections are
/// kept by owner id, and Linux gives no user an id this high (its ids stop below 2^32 - 1, and
/// distributions and systemd hand out ids far below 2^31).
public enum AccountOwners {
    public static let firstWebOwner: Int64 = 0xF000_0000

    public static func isWebOwner(_ uid: UInt32) -> Bool { Int64(uid) > firstWebOwner }

    /// SQL for the owner id of a new account: above every one in use, and above those a removed
    /// account's shared collections still carry, so that no new account inherits them.
    static let nextWebOwner = """
        (SELECT MAX(used) + 1 FROM (
            SELECT \(firstWebOwner) AS used
            UNION ALL SELECT MAX(webOwnerUid) FROM account
            UNION ALL SELECT MAX(ownerUid) FROM collection WHERE ownerUid > \(firstWebOwner)))
        """
}
