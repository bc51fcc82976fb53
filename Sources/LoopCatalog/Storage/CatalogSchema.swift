import Logging
import PostgresNIO

/// The catalogue's tables, migrated in order by whichever loopweb starts first; each version is
/// applied once, under a lock, so servers starting together do not race.
enum CatalogSchema {
    /// Each version's statements, oldest first. Never edit one that has shipped: add the next.
    static let migrations: [[PostgresQuery]] = [
        // 1: hosts and their sounds.
        [
            """
            CREATE TABLE catalog_host (
                host text PRIMARY KEY,
                -- loopd's change sequence the catalogue holds this host's records up to.
                published_sequence bigint NOT NULL DEFAULT 0,
                -- Rows written by the latest full copy carry its number; older ones are swept after it.
                load_generation bigint NOT NULL DEFAULT 0,
                last_seen timestamptz NOT NULL DEFAULT now(),
                first_seen timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE catalog_sound (
                host text NOT NULL REFERENCES catalog_host (host) ON DELETE CASCADE,
                file_id bigint NOT NULL,
                load_generation bigint NOT NULL,
                -- The record as loopd gives it (the wire form every client reads); the columns below are its searchable parts.
                record jsonb NOT NULL,
                relative_path text NOT NULL,
                bpm double precision,
                musical_key text,
                sound_type text,
                format text,
                duration double precision,
                loudness double precision,
                size bigint NOT NULL,
                hash text,
                added_at double precision NOT NULL,
                words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(lower(relative_path), '/_.-', '    '))) STORED,
                PRIMARY KEY (host, file_id)
            )
            """,
            "CREATE INDEX catalog_sound_bpm ON catalog_sound (bpm)",
            "CREATE INDEX catalog_sound_key ON catalog_sound (musical_key, bpm)",
            "CREATE INDEX catalog_sound_type ON catalog_sound (sound_type, bpm)",
            "CREATE INDEX catalog_sound_words ON catalog_sound USING gin (words)",
            "CREATE INDEX catalog_sound_hash ON catalog_sound (hash)",
            "CREATE INDEX catalog_sound_generation ON catalog_sound (host, load_generation)",
        ],
        // 2: what the query language searches, who may find a sound, and how hosts reach each other.
        [
            "ALTER TABLE catalog_host ADD COLUMN peer_url text",
            "CREATE TABLE catalog_secret (name text PRIMARY KEY, value bytea NOT NULL)",
            "DROP INDEX catalog_sound_key",
            "ALTER TABLE catalog_sound DROP COLUMN musical_key, DROP COLUMN words",
            """
            ALTER TABLE catalog_sound
                -- Readable by any user on its server: what web accounts of other servers may find.
                ADD COLUMN public boolean NOT NULL DEFAULT false,
                ADD COLUMN camelot text,
                ADD COLUMN sample_rate integer,
                ADD COLUMN channels integer,
                ADD COLUMN bit_depth integer,
                ADD COLUMN instruments text[] NOT NULL DEFAULT '{}',
                -- The embedded metadata's words, which the index's full-text table also holds.
                ADD COLUMN meta text NOT NULL DEFAULT '',
                ADD COLUMN words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(lower(relative_path || ' ' || meta), '/_.-,', '     '))) STORED
            """,
            "CREATE INDEX catalog_sound_camelot ON catalog_sound (camelot, bpm)",
            "CREATE INDEX catalog_sound_words ON catalog_sound USING gin (words)",
            // Every host publishes its records again, filling the new columns.
            "UPDATE catalog_host SET published_sequence = 0",
        ],
        // 3: the common browse (a type and a bpm range, by name, with facets) answered from one
        // index. The records make rows about a kilobyte and a half, so reading every match's row
        // for its facets or its name went page by page through the heap; the index the type
        // filter uses now holds every facet's column and the name.
        [
            "ALTER TABLE catalog_sound ADD COLUMN musical_key text",
            "UPDATE catalog_sound SET musical_key = record->>'key'",
            """
            ALTER TABLE catalog_sound
                ADD COLUMN top_folder text NOT NULL
                    GENERATED ALWAYS AS (CASE WHEN position('/' in relative_path) > 0 THEN split_part(relative_path, '/', 1) ELSE '' END) STORED,
                ADD COLUMN file_name text NOT NULL GENERATED ALWAYS AS (lower(regexp_replace(relative_path, '^.*/', ''))) STORED
            """,
            "DROP INDEX catalog_sound_type",
            """
            CREATE INDEX catalog_sound_type ON catalog_sound (sound_type, bpm)
                INCLUDE (public, musical_key, format, top_folder, instruments, file_name, host, file_id)
            """,
        ],
        // 4: each person's favourites and collections over every server's files, so that every
        // loopweb shows the same. People are known by account name on every server; a row goes
        // with the sound it names.
        [
            """
            CREATE TABLE catalog_favourite (
                account text NOT NULL,
                host text NOT NULL,
                file_id bigint NOT NULL,
                added_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (account, host, file_id),
                FOREIGN KEY (host, file_id) REFERENCES catalog_sound (host, file_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX catalog_favourite_sound ON catalog_favourite (host, file_id)",
            """
            CREATE TABLE catalog_collection (
                owner text NOT NULL,
                name text NOT NULL,
                shared boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (owner, name)
            )
            """,
            """
            CREATE TABLE catalog_collection_item (
                owner text NOT NULL,
                name text NOT NULL,
                host text NOT NULL,
                file_id bigint NOT NULL,
                added_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (owner, name, host, file_id),
                FOREIGN KEY (owner, name) REFERENCES catalog_collection (owner, name) ON DELETE CASCADE,
                FOREIGN KEY (host, file_id) REFERENCES catalog_sound (host, file_id) ON DELETE CASCADE
            )
            """,
            "CREATE INDEX catalog_collection_item_sound ON catalog_collection_item (host, file_id)",
        ],
        // Collections are ordered by their owners, no longer only by when sounds were added.
        [
            "ALTER TABLE catalog_collection_item ADD COLUMN position bigint",
            """
            UPDATE catalog_collection_item i SET position = o.n
            FROM (
                SELECT owner, name, host, file_id, row_number() OVER (PARTITION BY owner, name ORDER BY added_at, host, file_id) AS n
                FROM catalog_collection_item
            ) o
            WHERE i.owner = o.owner AND i.name = o.name AND i.host = o.host AND i.file_id = o.file_id
            """,
            "ALTER TABLE catalog_collection_item ALTER COLUMN position SET NOT NULL",
        ],
    ]

    static var latestVersion: Int { migrations.count }

    /// Brings the catalogue to the latest version; a catalogue newer than this code is refused.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.catalogTransaction(logger: logger) { connection in
            // Any constant both sides agree on: it serialises migrating servers, and only them.
            try await connection.query("SELECT pg_advisory_xact_lock(7301170001)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS catalog_migration (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger
            )
            var current = 0
            for try await version in try await connection.query("SELECT coalesce(max(version), 0) FROM catalog_migration", logger: logger).decode(Int.self) {
                current = version
            }
            guard current <= latestVersion else { throw CatalogError.newerSchema(found: current, known: latestVersion) }
            for version in stride(from: current + 1, through: latestVersion, by: 1) {
                for statement in migrations[version - 1] { try await connection.query(statement, logger: logger) }
                try await connection.query("INSERT INTO catalog_migration (version) VALUES (\(version))", logger: logger)
                logger.info("The catalogue's schema is now version \(version).")
            }
        }
    }
}
