import GRDB

/// Errors that say the storage failed (disk full, I/O error, the database
/// file gone read-only), not that one row was bad: what failed must be kept
/// and tried again once the storage recovers, rather than dropped.
public enum StorageFailure {
    public static func isStorageFailure(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        switch error.resultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_NOMEM, .SQLITE_BUSY, .SQLITE_LOCKED: return true
        default: return false
        }
    }

    /// The failure as a clause for `status` and `sync`: "database or disk is full".
    public static func reason(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }
}
