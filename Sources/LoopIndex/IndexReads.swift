import Foundation
import GRDB
import LoopCore

/// SQL for reading rows back as models.
enum IndexReads {
    static let stateSelect = "SELECT id, path, device, inode, size, mtimeNs, analysisVersion, hash, missingSince FROM file"

    static func state(_ row: Row) -> StoredFileState {
        let device: Int64 = row["device"], inode: Int64 = row["inode"]
        let missingSince: Double? = row["missingSince"]
        return StoredFileState(
            id: row["id"], path: row["path"],
            stat: FileStat(device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode), size: row["size"], mtimeNs: row["mtimeNs"], kind: .regular),
            analysisVersion: row["analysisVersion"], hash: row["hash"], offline: missingSince != nil
        )
    }

    /// The columns `record(_:)` reads.
    static let recordColumns = """
        id, path, root, size, format, sampleRate, channels, bitDepth, duration, peakDb, rmsDb,
               bpm, key, type, hash, error, addedAt, analyzedAt, missingSince,
               bpmConfidence, keyStrength, rootNote, title, artist, genre, comment, loopStart, loopEnd, truePeakDb, loudnessLufs, loudnessRangeLu, clipLoudnessLufs, dcOffset, clippedSamples, leadingSilence, trailingSilence, bpmSource, camelot, keySource, typeSource, instruments,
               cuePoints, description, originator, originated,
               mtimeNs, ownerUid, originalName, takeArtist, takeSong, takeTrack, takeVersion
        """

    static let recordSelect = "SELECT " + recordColumns + " FROM file"

    /// The position of each of `recordColumns`.
    static let recordColumnIndex = RecordColumnIndex(recordColumns)

    /// Reads a row that starts with `recordColumns`. Columns are taken by position (a name lookup
    /// scans the row's columns, which cost milliseconds per page of records).
    static func record(_ row: Row) -> SampleRecord {
        let column = recordColumnIndex
        var record = SampleRecord(
            id: row[column["id"]], path: row[column["path"]], root: row[column["root"]], size: row[column["size"]],
            format: row[column["format"]], sampleRate: row[column["sampleRate"]], channels: row[column["channels"]],
            bitDepth: row[column["bitDepth"]], duration: row[column["duration"]], peakDb: row[column["peakDb"]],
            rmsDb: row[column["rmsDb"]], bpm: row[column["bpm"]], key: row[column["key"]], type: row[column["type"]],
            hash: row[column["hash"]], error: row[column["error"]], addedAt: row[column["addedAt"]], analyzedAt: row[column["analyzedAt"]],
            offline: (row[column["missingSince"]] as Double?) != nil
        )
        record.bpmConfidence = row[column["bpmConfidence"]]
        record.keyStrength = row[column["keyStrength"]]
        record.rootNote = row[column["rootNote"]]
        record.title = row[column["title"]]
        record.artist = row[column["artist"]]
        record.genre = row[column["genre"]]
        record.comment = row[column["comment"]]
        record.loopStart = row[column["loopStart"]]
        record.loopEnd = row[column["loopEnd"]]
        record.truePeakDb = row[column["truePeakDb"]]
        record.loudnessLufs = row[column["loudnessLufs"]]
        record.loudnessRangeLu = row[column["loudnessRangeLu"]]
        record.clipLoudnessLufs = row[column["clipLoudnessLufs"]]
        record.dcOffset = row[column["dcOffset"]]
        record.clippedSamples = row[column["clippedSamples"]]
        record.leadingSilence = row[column["leadingSilence"]]
        record.trailingSilence = row[column["trailingSilence"]]
        record.bpmSource = row[column["bpmSource"]]
        record.camelot = row[column["camelot"]]
        record.keySource = row[column["keySource"]]
        record.typeSource = row[column["typeSource"]]
        record.instruments = (row[column["instruments"]] as String?).map { $0.split(separator: ",").map(String.init) } ?? []
        record.cuePoints = (row[column["cuePoints"]] as String?).map { $0.split(separator: ",").compactMap { Int64($0) } } ?? []
        record.description = row[column["description"]]
        record.originator = row[column["originator"]]
        record.originated = row[column["originated"]]
        record.modifiedNs = row[column["mtimeNs"]]
        record.addedBy = (row[column["ownerUid"]] as Int64?).map { UnixUsers.name(of: UInt32(truncatingIfNeeded: $0)) }
        record.originalName = row[column["originalName"]]
        let take = TakeFields(artist: row[column["takeArtist"]], song: row[column["takeSong"]], track: row[column["takeTrack"]], version: row[column["takeVersion"]])
        record.take = take.isEmpty ? nil : take
        return record
    }

    static func search(_ query: SearchQuery, in db: Database) throws -> [SampleRecord] {
        // Offline rows are kept for when their files return, but are not on disk to be found.
        var conditions: [String] = ["missingSince IS NULL"]
        var arguments: [any DatabaseValueConvertible] = []
        for word in query.words {
            // Match below the root, so the root's own folder names do not match everything.
            conditions.append("relativePath LIKE ? ESCAPE '\\'")
            arguments.append("%" + escapeLike(word) + "%")
        }
        appendRange(query.bpm, column: "bpm", to: &conditions, &arguments)
        appendRange(query.duration, column: "duration", to: &conditions, &arguments)
        if let key = query.key {
            conditions.append("key = ?")
            arguments.append(key)
        }
        if let type = query.type {
            conditions.append("type = ?")
            arguments.append(type)
        }
        if let format = query.format {
            conditions.append("format = ?")
            arguments.append(format.lowercased())
        }
        var sql = recordSelect
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY path"
        if let limit = query.limit {
            sql += " LIMIT ? OFFSET ?"
            arguments.append(limit)
            arguments.append(query.offset)
        } else if query.offset > 0 {
            sql += " LIMIT -1 OFFSET ?"
            arguments.append(query.offset)
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(record)
    }

    private static func appendRange(_ range: NumericRange?, column: String, to conditions: inout [String], _ arguments: inout [any DatabaseValueConvertible]) {
        guard let range, range.lower != nil || range.upper != nil else { return }
        let condition = QueryCompiler.rangeCondition(range, column)
        conditions.append(condition.sql)
        arguments += condition.arguments
    }

    static func escapeLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

/// Positions of a select list's columns by name.
struct RecordColumnIndex: Sendable {
    private let positions: [String: Int]

    init(_ columns: String) {
        let names = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        positions = Dictionary(names.enumerated().map { ($1, $0) }) { first, _ in first }
    }

    /// The position of a column the select list names (a name it lacks is a programming error, caught by every test that reads a record).
    subscript(_ name: String) -> Int {
        guard let position = positions[name] else { preconditionFailure("\(name) is not one of the record columns") }
        return position
    }
}
