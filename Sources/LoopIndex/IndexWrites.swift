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

    /// Derives the name-based columns again for rows whose path changed: a
    /// file renamed from "Loop_124" to "Loop_128" must not keep the old tempo.
    /// (A take's fields come from the path too.)
    private static func refreshVerdicts(where condition: String, _ arguments: StatementArguments, templates: [String: PathTemplate], in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, relativePath, root, \(EvidenceColumn.selectList) FROM file WHERE " + condition, arguments: arguments)
        let columns = RecordColumns.verdictFields.map(\.name) + RecordColumns.takeColumns
        let update = try db.cachedStatement(sql: "UPDATE file SET " + columns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ?")
        for row in rows {
            let relativePath: String = row[1]
            let evidence = EvidenceColumn.evidence(from: { StoredValue(row[$0] as DatabaseValue) }, at: 3)
            let verdict = SampleVerdict(audio: evidence, names: NameHints.parse(relativePath: relativePath))
            let take = takeArguments(relativePath: relativePath, root: row[2], templates: templates)
            try update.execute(arguments: StatementArguments(RecordColumns.verdictValues(verdict)) + take + [row[0] as Int64])
        }
    }

    /// Derives the take fields of every row of the roots that have templates (the templates may have
    /// changed), and clears them where a root no longer has one. Other rows are not touched.
    static func refreshTakes(templates: [String: PathTemplate], in db: Database) throws {
        let roots = Array(templates.keys)
        let inRoots = roots.isEmpty ? "0" : "root IN (\(roots.map { _ in "?" }.joined(separator: ", ")))"
        try db.execute(
            sql: "UPDATE file SET " + RecordColumns.takeColumns.map { "\($0) = NULL" }.joined(separator: ", ") + " WHERE takeSong IS NOT NULL AND NOT (\(inRoots))",
            arguments: StatementArguments(roots)
        )
        guard !roots.isEmpty else { return }
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, relativePath, root, \(RecordColumns.takeColumns.joined(separator: ", ")) FROM file WHERE \(inRoots)", arguments: StatementArguments(roots)
        )
        let update = try db.cachedStatement(sql: "UPDATE file SET " + RecordColumns.takeColumns.map { "\($0) = ?" }.joined(separator: ", ") + " WHERE id = ?")
        // Runs at every start: write only the rows whose fields differ (usually none).
        for row in rows {
            let take = templates[row[2] as String]?.take(relativePath: row[1])
            let stored = TakeFields(artist: row[3], song: row[4], track: row[5], version: row[6])
            guard (take ?? TakeFields()) != stored else { continue }
            try update.execute(arguments: arguments(take) + [row[0] as Int64])
        }
    }

    static func takeArguments(relativePath: String, root: String, templates: [String: PathTemplate]) -> StatementArguments {
        arguments(templates[root]?.take(relativePath: relativePath))
    }

    static func arguments(_ take: TakeFields?) -> StatementArguments {
        StatementArguments(RecordColumns.takeValues(take))
    }

    private static func store(_ file: AnalysedFile, timestamp: Double, templates: [String: PathTemplate], in db: Database) throws {
        let relativePath = relative(file.path, file.root)
        let evidence = SampleVerdict.AudioEvidence(file.audio)
        let facts = StoredFacts(
            file: file, relativePath: relativePath, timestamp: timestamp, evidence: evidence,
            verdict: SampleVerdict(audio: evidence, names: NameHints.parse(relativePath: relativePath)),
            take: templates[file.root]?.take(relativePath: relativePath)
        )
        let statement = try db.cachedStatement(sql: StoredColumn.upsert)
        let id = try Int64.fetchOne(statement, arguments: StatementArguments(StoredColumn.all.map { $0.value(facts) }))
        guard let id else { return }
        if let waveform = file.audio?.waveform {
            try db.execute(
                sql: "INSERT OR REPLACE INTO waveform (fileId, samplesPerPoint, sampleRate, data) VALUES (?, ?, ?, ?)",
                arguments: [id, waveform.samplesPerPoint, waveform.sampleRate, Data(waveform.packed)]
            )
        } else {
            try db.execute(sql: "DELETE FROM waveform WHERE fileId = ?", arguments: [id])
        }
        if let peaks = file.audio?.peaks {
            try db.execute(
                sql: "INSERT OR REPLACE INTO waveformPeaks (fileId, samplesPerPixel, sampleRate, channels, data) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, peaks.samplesPerPixel, peaks.sampleRate, peaks.channels, Data(peaks.packed)]
            )
        } else {
            try db.execute(sql: "DELETE FROM waveformPeaks WHERE fileId = ?", arguments: [id])
        }
        if let similarity = file.audio?.similarity {
            try db.execute(sql: "INSERT OR REPLACE INTO similarity (fileId, vector) VALUES (?, ?)", arguments: [id, Data(similarity.packed)])
        } else {
            try db.execute(sql: "DELETE FROM similarity WHERE fileId = ?", arguments: [id])
        }
    }
}
