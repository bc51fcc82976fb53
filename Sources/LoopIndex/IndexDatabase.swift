import Foundation
import GRDB

/// Opens the SQLite index in WAL mode and brings its schema up to date.
///
/// One `DatabasePool` serves the whole daemon: GRDB serialises writes on one
/// writer connection while readers run concurrently on their own.
enum IndexDatabase {
    static func open(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            // WAL makes NORMAL durable against application crashes; a power loss
            // can lose the last commits, which the next start re-indexes.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try IndexSchema.migrator.migrate(pool)
        return pool
    }
}
