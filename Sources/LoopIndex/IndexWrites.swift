import Foundation
import GRDB
import LoopCore

/// SQL for each `IndexOperation`, run inside the writer's transaction.
enum IndexWrites {
    static func apply(_ operation: IndexOperation, timestamp: Double, templates: [String: PathTemplate], in db: Database) throws {
        switch operation {
        case let .store(file):
            try store(file, timestamp: timestamp, templates: templates, in: db)
        case let .remove(path):
            try db.execute(sql: "DELETE FROM file WHERE path = ?", arguments: [path])
        case let .removeTree(directory):
            try db.execute(sql: "DELETE FROM file WHERE substr(path, 1, ?) = ?", arguments: [length(directory) + 1, directory + "/"])
        case let .move(from, to, root):
            // A stale row at the destination (a file replaced by the rename) gives way.
            try db.execute(sql: "DELETE FROM file WHERE path = ?", arguments: [to])
            try db.execute(sql: "UPDATE file SET path = ?, root = ?, relativePath = ?, missingSince = NULL WHERE path = ?", arguments: [to, root, relative(to, root), from])
            try refreshVerdicts(where: "path = ?", [to], templates: templates, in: db)
        case let .moveTree(from, to, root):
            let prefixLength = length(from) + 1
            try db.execute(sql: "DELETE FROM file WHERE substr(path, 1, ?) = ?", arguments: [length(to) + 1, to + "/"])
            try db.execute(
                sql: """
                    UPDATE file SET path = ? || substr(path, ?), root = ?, relativePath = substr(? || substr(path, ?), ?)
                    WHERE substr(path, 1, ?) = ?
                    """,
                arguments: [to + "/", prefixLength + 1, root, to + "/", prefixLength + 1, rootPrefixLength(root) + 1, prefixLength, from + "/"]
            )
            try refreshVerdicts(where: "substr(path, 1, ?) = ?", [length(to) + 1, to + "/"], templates: templates, in: db)
            // Folder tags move with their folders.
            try db.execute(
                sql: "UPDATE OR REPLACE folderTag SET folder = ? || substr(folder, ?) WHERE folder = ? OR substr(folder, 1, ?) = ?",
                arguments: [to, prefixLength, from, prefixLength, from + "/"]
            )
        case let .setOffline(paths):
            let statement = try db.cachedStatement(sql: "UPDATE file SET missingSince = COALESCE(missingSince, ?) WHERE path = ?")
            for path in paths { try statement.execute(arguments: [timestamp, path]) }
        case let .setRootOffline(root):
            try db.execute(sql: "UPDATE file SET missingSince = COALESCE(missingSince, ?) WHERE root = ?", arguments: [timestamp, root])
        case let .setOnline(path):
            try db.execute(sql: "UPDATE file SET missingSince = NULL WHERE path = ?", arguments: [path])
        case let .purgeOffline(paths):
            let statement = try db.cachedStatement(sql: "DELETE FROM file WHERE path = ? AND missingSince IS NOT NULL")
            for path in paths { try statement.execute(arguments: [path]) }
        }
    }

    /// `path` below `root`, without the separating slash.
    static func relative(_ path: String, _ root: String) -> String {
        RelativePath.of(path, in: root)
    }

    /// Length of the root and its slash ("/" alone for the file-system root).
    static func rootPrefixLength(_ root: String) -> Int {
        root == "/" ? 1 : length(root) + 1
    }

    /// A string's length as SQLite's `substr` and `length` count it: in code points.
    static func length(_ text: String) -> Int {
        text.unicodeScalars.count
    }

    /// Columns derived from the names (see `SampleVerdict`), in `verdictArguments` order.
    static let verdictColumns = [
        "bpm", "bpmConfidence", "bpmSource", "key", "camelot", "keyStrength", "keySource", "rootNote", "type", "typeSource", "instruments",
    ]

    static func verdictArguments(_ verdict: SampleVerdict) -> StatementArguments {
        [
            verdict.bpm, verdict.bpmConfidence, verdict.bpmSource, verdict.key?.name, verdict.key?.camelot, verdict.keyStrength,
            verdict.keySource, verdict.rootNote,
            verdict.type, verdict.typeSource, verdict.instruments.isEmpty ? nil : verdict.instruments.joined(separator: ","),
        ]
    }

    /// The stored audio evidence, read back by `evidence(_:from:)`.
    static let evidenceColumns = """
        duration, trailingSilence, audioBpm, audioBpmConfidence, audioType, audioKey, audioKeyStrength, audioRootNote,
        embeddedTempo, embeddedOneShot, embeddedRootNote, embeddedKey
        """

    static func evidence(_ row: Row, from first: Int) -> SampleVerdict.AudioEvidence {
        SampleVerdict.AudioEvidence(
            duration: row[first], trailingSilence: row[first + 1], bpm: row[first + 2], bpmConfidence: row[first + 3], type: row[first + 4],
            key: (row[first + 5] as String?).flatMap(MusicalKey.init(parsing:)), keyStrength: row[first + 6], rootNote: row[first + 7],
            embeddedTempo: row[first + 8], embeddedOneShot: row[first + 9], embeddedRootMidiNote: row[first + 10],
            embeddedKey: (row[first + 11] as String?).flatMap(MusicalKey.init(parsing:))
        )
    }

    /// Derives the name-based columns again for rows whose path changed: a
    /// file renamed from "Loop_124" to "Loop_128" must not keep the old tempo.
    /// (A take's fields come from the path too.)
    private static func refreshVerdicts(where condition: String, _ arguments: StatementArguments, templates: [String: PathTemplate], in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, relativePath, root, \(evidenceColumns) FROM file WHERE " + condition, arguments: arguments)
        let update = try db.cachedStatement(sql: "UPDATE file SET " + (verdictColumns + takeColumns).map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ?")
        for row in rows {
            let relativePath: String = row[1]
            let verdict = SampleVerdict(audio: evidence(row, from: 3), names: NameHints.parse(relativePath: relativePath))
            let take = takeArguments(relativePath: relativePath, root: row[2], templates: templates)
            try update.execute(arguments: verdictArguments(verdict) + take + [row[0] as Int64])
        }
    }

    /// Derives the take fields of every row of the roots that have templates (the templates may have
    /// changed), and clears them where a root no longer has one. Other rows are not touched.
    static func refreshTakes(templates: [String: PathTemplate], in db: Database) throws {
        let roots = Array(templates.keys)
        let inRoots = roots.isEmpty ? "0" : "root IN (\(roots.map { _ in "?" }.joined(separator: ", ")))"
        try db.execute(
            sql: "UPDATE file SET " + takeColumns.map { "\($0) = NULL" }.joined(separator: ", ") + " WHERE takeSong IS NOT NULL AND NOT (\(inRoots))",
            arguments: StatementArguments(roots)
        )
        guard !roots.isEmpty else { return }
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, relativePath, root, \(takeColumns.joined(separator: ", ")) FROM file WHERE \(inRoots)", arguments: StatementArguments(roots)
        )
        let update = try db.cachedStatement(sql: "UPDATE file SET " + takeColumns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ?")
        // Runs at every start: write only the rows whose fields differ (usually none).
        for row in rows {
            let take = templates[row[2] as String]?.take(relativePath: row[1])
            let stored = TakeFields(artist: row[3], song: row[4], track: row[5], version: row[6])
            guard (take ?? TakeFields()) != stored else { continue }
            try update.execute(arguments: arguments(take) + [row[0] as Int64])
        }
    }

    static let takeColumns = ["takeArtist", "takeSong", "takeTrack", "takeVersion"]

    static func takeArguments(relativePath: String, root: String, templates: [String: PathTemplate]) -> StatementArguments {
        arguments(templates[root]?.take(relativePath: relativePath))
    }

    static func arguments(_ take: TakeFields?) -> StatementArguments {
        [take?.artist, take?.song, take?.track, take?.version]
    }

    private static func store(_ file: AnalysedFile, timestamp: Double, templates: [String: PathTemplate], in db: Database) throws {
        let relativePath = relative(file.path, file.root)
        let arguments: StatementArguments = [
            file.path, file.root, relativePath, Int64(bitPattern: file.stat.device), Int64(bitPattern: file.stat.inode),
            file.stat.size, file.stat.mtimeNs, file.format, file.sampleRate, file.channels, file.bitDepth,
            file.frames, file.duration, file.peakDb, file.rmsDb, file.hash, file.error,
            file.analysisVersion, timestamp, timestamp,
            file.truePeakDb, file.loudnessLufs, file.loudnessRangeLu, file.clipLoudnessLufs, file.dcOffset,
            file.clippedSamples, file.leadingSilence, file.trailingSilence,
            file.audioBpm, file.audioBpmConfidence, file.audioType, file.audioKey, file.audioKeyStrength, file.audioRootNote,
            file.embeddedTempo, file.embeddedOneShot, file.embeddedRootNote, file.title, file.artist, file.genre, file.comment,
            file.loop?.lowerBound, file.loop?.upperBound,
            file.embeddedKey, file.cuePoints.isEmpty ? nil : file.cuePoints.map(String.init).joined(separator: ","),
            file.description, file.originator, file.originated,
        ] + verdictArguments(SampleVerdict(
            audio: .init(
                duration: file.duration, trailingSilence: file.trailingSilence, bpm: file.audioBpm, bpmConfidence: file.audioBpmConfidence,
                type: file.audioType, key: file.audioKey.flatMap(MusicalKey.init(parsing:)), keyStrength: file.audioKeyStrength,
                rootNote: file.audioRootNote, embeddedTempo: file.embeddedTempo, embeddedOneShot: file.embeddedOneShot,
                embeddedRootMidiNote: file.embeddedRootNote, embeddedKey: file.embeddedKey.flatMap(MusicalKey.init(parsing:))
            ),
            names: NameHints.parse(relativePath: relativePath)
        )) + [Int64(file.stat.owner)] + takeArguments(relativePath: relativePath, root: file.root, templates: templates)
        let id = try Int64.fetchOne(db, sql: """
            INSERT INTO file (path, root, relativePath, device, inode, size, mtimeNs, format, sampleRate, channels, bitDepth,
                              frames, duration, peakDb, rmsDb, hash, error, analysisVersion, addedAt, analyzedAt,
                              truePeakDb, loudnessLufs, loudnessRangeLu, clipLoudnessLufs, dcOffset, clippedSamples,
                              leadingSilence, trailingSilence, audioBpm, audioBpmConfidence, audioType,
                              audioKey, audioKeyStrength, audioRootNote, embeddedTempo, embeddedOneShot, embeddedRootNote,
                              title, artist, genre, comment, loopStart, loopEnd,
                              embeddedKey, cuePoints, description, originator, originated, \(verdictColumns.joined(separator: ", ")),
                              ownerUid, \(takeColumns.joined(separator: ", ")))
            VALUES (\(Array(repeating: "?", count: 49 + verdictColumns.count + takeColumns.count).joined(separator: ", ")))
            ON CONFLICT(path) DO UPDATE SET
                root = excluded.root, relativePath = excluded.relativePath, device = excluded.device, inode = excluded.inode, size = excluded.size,
                mtimeNs = excluded.mtimeNs, format = excluded.format, sampleRate = excluded.sampleRate,
                channels = excluded.channels, bitDepth = excluded.bitDepth, frames = excluded.frames,
                duration = excluded.duration, peakDb = excluded.peakDb, rmsDb = excluded.rmsDb,
                hash = excluded.hash, error = excluded.error, analysisVersion = excluded.analysisVersion,
                analyzedAt = excluded.analyzedAt, missingSince = NULL,
                truePeakDb = excluded.truePeakDb, loudnessLufs = excluded.loudnessLufs, loudnessRangeLu = excluded.loudnessRangeLu,
                clipLoudnessLufs = excluded.clipLoudnessLufs, dcOffset = excluded.dcOffset, clippedSamples = excluded.clippedSamples,
                leadingSilence = excluded.leadingSilence, trailingSilence = excluded.trailingSilence,
                audioBpm = excluded.audioBpm, audioBpmConfidence = excluded.audioBpmConfidence, audioType = excluded.audioType,
                audioKey = excluded.audioKey, audioKeyStrength = excluded.audioKeyStrength, audioRootNote = excluded.audioRootNote,
                embeddedTempo = excluded.embeddedTempo, embeddedOneShot = excluded.embeddedOneShot, embeddedRootNote = excluded.embeddedRootNote,
                title = excluded.title, artist = excluded.artist, genre = excluded.genre, comment = excluded.comment,
                loopStart = excluded.loopStart, loopEnd = excluded.loopEnd,
                embeddedKey = excluded.embeddedKey, cuePoints = excluded.cuePoints, description = excluded.description,
                originator = excluded.originator, originated = excluded.originated,
                \(verdictColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")),
                ownerUid = excluded.ownerUid, \(takeColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
            RETURNING id
            """, arguments: arguments)
        guard let id else { return }
        if let waveform = file.waveform {
            try db.execute(
                sql: "INSERT OR REPLACE INTO waveform (fileId, samplesPerPoint, sampleRate, data) VALUES (?, ?, ?, ?)",
                arguments: [id, waveform.samplesPerPoint, waveform.sampleRate, Data(waveform.packed)]
            )
        } else {
            try db.execute(sql: "DELETE FROM waveform WHERE fileId = ?", arguments: [id])
        }
        if let peaks = file.peaks {
            try db.execute(
                sql: "INSERT OR REPLACE INTO waveformPeaks (fileId, samplesPerPixel, sampleRate, channels, data) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, peaks.samplesPerPixel, peaks.sampleRate, peaks.channels, Data(peaks.packed)]
            )
        } else {
            try db.execute(sql: "DELETE FROM waveformPeaks WHERE fileId = ?", arguments: [id])
        }
        if let similarity = file.similarity {
            try db.execute(sql: "INSERT OR REPLACE INTO similarity (fileId, vector) VALUES (?, ?)", arguments: [id, Data(similarity.packed)])
        } else {
            try db.execute(sql: "DELETE FROM similarity WHERE fileId = ?", arguments: [id])
        }
    }
}
