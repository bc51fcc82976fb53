import GRDB
import LoopAPI

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
        migrator.registerMigration("v2-offline-rows") { db in
            // Rows whose file is not on disk right now: a missing root or device
            // (kept until it returns), or a scan's removal waiting to be claimed
            // by a file moved while loopd was down.
            try db.execute(sql: """
                ALTER TABLE file ADD COLUMN missingSince REAL;
                -- Claims look only at offline rows; partial indexes keep that cheap
                -- however many online copies share a hash.
                CREATE INDEX file_offline_identity ON file(device, inode) WHERE missingSince IS NOT NULL;
                CREATE INDEX file_offline_hash ON file(hash) WHERE missingSince IS NOT NULL;
                """)
        }
        migrator.registerMigration("v3-analysis-details") { db in
            // Levels, loudness, and where tempo, key and type came from.
            try db.execute(sql: """
                ALTER TABLE file ADD COLUMN truePeakDb REAL;
                ALTER TABLE file ADD COLUMN loudnessLufs REAL;
                ALTER TABLE file ADD COLUMN loudnessRangeLu REAL;
                ALTER TABLE file ADD COLUMN clipLoudnessLufs REAL;
                ALTER TABLE file ADD COLUMN dcOffset REAL;
                ALTER TABLE file ADD COLUMN clippedSamples INTEGER;
                ALTER TABLE file ADD COLUMN leadingSilence REAL;
                ALTER TABLE file ADD COLUMN trailingSilence REAL;
                ALTER TABLE file ADD COLUMN bpmSource TEXT;
                ALTER TABLE file ADD COLUMN camelot TEXT;
                ALTER TABLE file ADD COLUMN keySource TEXT;
                ALTER TABLE file ADD COLUMN typeSource TEXT;
                ALTER TABLE file ADD COLUMN instruments TEXT;
                ALTER TABLE file ADD COLUMN bpmConfidence REAL;
                -- What the audio alone says, kept so the verdict can be derived again when the name changes.
                ALTER TABLE file ADD COLUMN audioBpm REAL;
                ALTER TABLE file ADD COLUMN audioBpmConfidence REAL;
                ALTER TABLE file ADD COLUMN audioType TEXT;
                ALTER TABLE file ADD COLUMN audioKey TEXT;
                ALTER TABLE file ADD COLUMN audioKeyStrength REAL;
                ALTER TABLE file ADD COLUMN audioRootNote TEXT;
                ALTER TABLE file ADD COLUMN keyStrength REAL;
                ALTER TABLE file ADD COLUMN rootNote TEXT;
                ALTER TABLE file ADD COLUMN embeddedTempo REAL;
                ALTER TABLE file ADD COLUMN embeddedOneShot INTEGER;
                ALTER TABLE file ADD COLUMN embeddedRootNote INTEGER;
                -- Tags and the first sampler loop stored in the file.
                ALTER TABLE file ADD COLUMN title TEXT;
                ALTER TABLE file ADD COLUMN artist TEXT;
                ALTER TABLE file ADD COLUMN genre TEXT;
                ALTER TABLE file ADD COLUMN comment TEXT;
                ALTER TABLE file ADD COLUMN loopStart INTEGER;
                ALTER TABLE file ADD COLUMN loopEnd INTEGER;
                -- The finest level of the waveform pyramid: per-channel int16 min/max, interleaved.
                CREATE TABLE waveformPeaks (
                    fileId INTEGER PRIMARY KEY REFERENCES file(id) ON DELETE CASCADE,
                    samplesPerPixel INTEGER NOT NULL,
                    sampleRate INTEGER NOT NULL,
                    channels INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4-chunks-and-similarity") { db in
            try db.execute(sql: """
                -- ID3 TKEY, kept as evidence like the other embedded values.
                ALTER TABLE file ADD COLUMN embeddedKey TEXT;
                -- Comma-separated frame positions.
                ALTER TABLE file ADD COLUMN cuePoints TEXT;
                ALTER TABLE file ADD COLUMN description TEXT;
                ALTER TABLE file ADD COLUMN originator TEXT;
                ALTER TABLE file ADD COLUMN originated TEXT;
                -- SimilarityVector.packed: little-endian float32s.
                CREATE TABLE similarity (
                    fileId INTEGER PRIMARY KEY REFERENCES file(id) ON DELETE CASCADE,
                    vector BLOB NOT NULL
                );
                """)
        }
        migrator.registerMigration("v5-full-text") { db in
            // Names, folders and metadata for free-text search; triggers keep it in step with `file`.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE fileText USING fts5(path, meta, tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO fileText(rowid, path, meta) SELECT id, relativePath, \(FullText.meta(of: "")) FROM file;
                CREATE TRIGGER fileTextInsert AFTER INSERT ON file BEGIN
                    INSERT INTO fileText(rowid, path, meta) VALUES (new.id, new.relativePath, \(FullText.meta(of: "new.")));
                END;
                CREATE TRIGGER fileTextDelete AFTER DELETE ON file BEGIN
                    DELETE FROM fileText WHERE rowid = old.id;
                END;
                CREATE TRIGGER fileTextUpdate AFTER UPDATE OF relativePath, \(FullText.metaColumns.joined(separator: ", ")) ON file BEGIN
                    DELETE FROM fileText WHERE rowid = old.id;
                    INSERT INTO fileText(rowid, path, meta) VALUES (new.id, new.relativePath, \(FullText.meta(of: "new.")));
                END;
                CREATE INDEX fileCamelot ON file(camelot);
                CREATE INDEX fileBpm ON file(bpm);
                """)
        }
        migrator.registerMigration("v6-library-data") { db in
            try db.execute(sql: """
                -- Who owns the file on disk (the Samba user for files dropped in over a share).
                ALTER TABLE file ADD COLUMN ownerUid INTEGER;
                -- The name a file had when `loopctl add` placed it by a path template.
                ALTER TABLE file ADD COLUMN originalName TEXT;
                -- A take's fields, from the root's path template.
                ALTER TABLE file ADD COLUMN takeArtist TEXT;
                ALTER TABLE file ADD COLUMN takeSong TEXT;
                ALTER TABLE file ADD COLUMN takeTrack TEXT;
                ALTER TABLE file ADD COLUMN takeVersion TEXT;
                CREATE INDEX fileTakeSong ON file(takeSong COLLATE NOCASE) WHERE takeSong IS NOT NULL;
                CREATE INDEX fileOwner ON file(ownerUid);
                -- User tags (automatic ones live in file.instruments). Ids survive renames, so tags do.
                CREATE TABLE userTag (
                    fileId INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
                    tag TEXT NOT NULL COLLATE NOCASE,
                    PRIMARY KEY (fileId, tag)
                ) WITHOUT ROWID;
                CREATE INDEX userTagByTag ON userTag(tag);
                -- Tags on folders apply to everything below; a folder renamed in the library keeps them.
                CREATE TABLE folderTag (
                    tag TEXT NOT NULL COLLATE NOCASE,
                    folder TEXT NOT NULL,
                    PRIMARY KEY (tag, folder)
                ) WITHOUT ROWID;
                CREATE TABLE favourite (
                    uid INTEGER NOT NULL,
                    fileId INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
                    addedAt REAL NOT NULL,
                    PRIMARY KEY (uid, fileId)
                ) WITHOUT ROWID;
                CREATE INDEX favouriteByFile ON favourite(fileId);
                CREATE TABLE collection (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    ownerUid INTEGER NOT NULL,
                    shared INTEGER NOT NULL,
                    createdAt REAL NOT NULL
                );
                CREATE UNIQUE INDEX collectionByOwnerAndName ON collection(ownerUid, name COLLATE NOCASE);
                CREATE TABLE collectionItem (
                    collectionId INTEGER NOT NULL REFERENCES collection(id) ON DELETE CASCADE,
                    fileId INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (collectionId, fileId)
                ) WITHOUT ROWID;
                CREATE INDEX collectionItemByFile ON collectionItem(fileId);
                """)
        }
        migrator.registerMigration("v7-saved-views") { db in
            // Saved searches published as folders in the views tree (`loopctl view add`).
            try db.execute(sql: """
                CREATE TABLE savedView (
                    name TEXT PRIMARY KEY COLLATE NOCASE,
                    query TEXT NOT NULL,
                    createdAt REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v8-file-names") { db in
            // The file name alone (SQLite has no basename(): the path minus everything up to its last '/'),
            // indexed case-insensitively, so a name prefix search (Finder's) is a range, not a scan.
            try db.execute(sql: """
                ALTER TABLE file ADD COLUMN fileName TEXT COLLATE NOCASE
                    GENERATED ALWAYS AS (replace(relativePath, rtrim(relativePath, replace(relativePath, '/', '')), '')) VIRTUAL;
                CREATE INDEX fileByName ON file(fileName COLLATE NOCASE);
                """)
        }
        migrator.registerMigration("v9-peak-position") { db in
            try db.execute(sql: "ALTER TABLE file ADD COLUMN peakPosition REAL")
        }
        migrator.registerMigration("v10-accounts") { db in
            // Web accounts, and their API tokens by SHA-256 (a token itself is shown once, never kept).
            try db.execute(sql: """
                CREATE TABLE account (
                    name TEXT PRIMARY KEY COLLATE NOCASE,
                    role TEXT NOT NULL,
                    unixUser TEXT,
                    createdAt REAL NOT NULL
                );
                CREATE TABLE apiToken (
                    tokenHash TEXT PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                    label TEXT,
                    createdAt REAL NOT NULL,
                    lastUsedAt REAL
                );
                CREATE INDEX apiTokenByAccount ON apiToken(account);
                """)
        }
        migrator.registerMigration("v11-logins") { db in
            // Passwords by bcrypt; the owner id that holds the favourites and collections of an
            // account without a Unix user; login sessions and invitations by the SHA-256 of their
            // token; and who did what over the web.
            try db.execute(sql: """
                ALTER TABLE account ADD COLUMN passwordHash TEXT;
                ALTER TABLE account ADD COLUMN webOwnerUid INTEGER;
                UPDATE account SET webOwnerUid = \(AccountOwners.firstWebOwner) + rowid;
                CREATE UNIQUE INDEX accountByWebOwner ON account(webOwnerUid);
                CREATE TABLE loginSession (
                    tokenHash TEXT PRIMARY KEY,
                    account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
                    createdAt REAL NOT NULL,
                    expiresAt REAL NOT NULL
                );
                CREATE INDEX loginSessionByAccount ON loginSession(account);
                CREATE TABLE invitation (
                    tokenHash TEXT PRIMARY KEY,
                    name TEXT NOT NULL COLLATE NOCASE,
                    role TEXT NOT NULL,
                    unixUser TEXT,
                    createdAt REAL NOT NULL,
                    expiresAt REAL NOT NULL
                );
                CREATE TABLE accountActivity (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    account TEXT NOT NULL,
                    action TEXT NOT NULL,
                    detail TEXT
                );
                """)
        }
        migrator.registerMigration("v12-trash") { db in
            // Files deleted over the web or with loopctl: moved into their root's trash folder,
            // kept here so they can be restored until the trash is emptied.
            try db.execute(sql: """
                CREATE TABLE trashItem (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    originalPath TEXT NOT NULL,
                    trashPath TEXT NOT NULL UNIQUE,
                    root TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    hash TEXT,
                    trashedAt REAL NOT NULL,
                    trashedBy TEXT NOT NULL
                );
                CREATE INDEX trashItemByTime ON trashItem(trashedAt);
                """)
        }
        migrator.registerMigration("v13-change-log") { db in
            // Every change to a file's record, numbered, for `subscribe`. Triggers write it, so no
            // write path can forget to; the newest `SubscribeReply.retainedChanges` are kept.
            let now = "(julianday('now') - 2440587.5) * 86400.0"
            try db.execute(sql: """
                CREATE TABLE changeLog (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    fileId INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE TRIGGER changeLogInsert AFTER INSERT ON file WHEN NEW.missingSince IS NULL BEGIN
                    INSERT INTO changeLog (fileId, kind, at) VALUES (NEW.id, 'added', \(now));
                END;
                CREATE TRIGGER changeLogDelete AFTER DELETE ON file WHEN OLD.missingSince IS NULL BEGIN
                    INSERT INTO changeLog (fileId, kind, at) VALUES (OLD.id, 'removed', \(now));
                END;
                -- Offline rows are gone for searchers: going offline removes, coming back adds.
                CREATE TRIGGER changeLogUpdate AFTER UPDATE ON file BEGIN
                    INSERT INTO changeLog (fileId, kind, at)
                    SELECT NEW.id, kind, \(now) FROM (SELECT CASE
                        WHEN OLD.missingSince IS NULL AND NEW.missingSince IS NOT NULL THEN 'removed'
                        WHEN NEW.missingSince IS NOT NULL THEN NULL
                        WHEN OLD.missingSince IS NOT NULL THEN 'added'
                        WHEN OLD.path <> NEW.path THEN 'moved'
                        ELSE 'changed' END AS kind)
                    WHERE kind IS NOT NULL;
                END;
                CREATE TRIGGER changeLogPrune AFTER INSERT ON changeLog WHEN NEW.sequence % 1000 = 0 BEGIN
                    DELETE FROM changeLog WHERE sequence <= NEW.sequence - \(SubscribeReply.retainedChanges);
                END;
                """)
        }
        migrator.registerMigration("v14-uploaded-by") { db in
            // The web account whose upload added a file: what its quota counts.
            try db.execute(sql: """
                ALTER TABLE file ADD COLUMN uploadedBy TEXT;
                CREATE INDEX file_uploadedBy ON file(uploadedBy) WHERE uploadedBy IS NOT NULL;
                """)
        }
        migrator.registerMigration("v15-type-confidence") { db in
            // How clearly the audio is a loop or a one-shot, weighed against a folder's word, and what the winner weighed.
            try db.execute(sql: """
                ALTER TABLE file ADD COLUMN audioTypeConfidence REAL;
                ALTER TABLE file ADD COLUMN typeConfidence REAL;
                """)
        }
        return migrator
    }
}
