import GRDB

/// Versioned migrations. Never edit a shipped migration: add a new one.
enum IndexSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-files-and-waveforms") { db in
            try db.execute(sql: """
                CREATE TABLE file (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL UNIQUE,
                    root TEXT NOT NULL,
                    -- The path below the root, which free-text search matches.
                    relativePath TEXT NOT NULL,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    mtimeNs INTEGER NOT NULL,
                    format TEXT,
                    sampleRate INTEGER,
                    channels INTEGER,
                    bitDepth INTEGER,
                    frames INTEGER,
                    duration REAL,
                    peakDb REAL,
                    rmsDb REAL,
                    bpm REAL,
                    key TEXT,
                    type TEXT,
                    hash TEXT,
                    error TEXT,
                    analysisVersion TEXT NOT NULL,
                    addedAt REAL NOT NULL,
                    analyzedAt REAL NOT NULL
                );
                CREATE INDEX file_identity ON file(device, inode);
                CREATE INDEX file_hash ON file(hash);
                CREATE INDEX file_root ON file(root);
                CREATE TABLE waveform (
                    fileId INTEGER PRIMARY KEY REFERENCES file(id) ON DELETE CASCADE,
                    samplesPerPoint INTEGER NOT NULL,
                    sampleRate INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        }
        return migrator
    }
}
