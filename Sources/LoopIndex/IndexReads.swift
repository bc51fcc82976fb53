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

    static func record(_ row: Row) -> SampleRecord {
        var record = SampleRecord(
            id: row["id"], path: row["path"], root: row["root"], size: row["size"],
            format: row["format"], sampleRate: row["sampleRate"], channels: row["channels"],
            bitDepth: row["bitDepth"], duration: row["duration"], peakDb: row["peakDb"],
            rmsDb: row["rmsDb"], bpm: row["bpm"], key: row["key"], type: row["type"],
            hash: row["hash"], error: row["error"], addedAt: row["addedAt"], analyzedAt: row["analyzedAt"],
            offline: (row["missingSince"] as Double?) != nil
        )
        record.bpmConfidence = row["bpmConfidence"]
        record.keyStrength = row["keyStrength"]
        record.rootNote = row["rootNote"]
        record.title = row["title"]
        record.artist = row["artist"]
        record.genre = row["genre"]
        record.comment = row["comment"]
        record.loopStart = row["loopStart"]
        record.loopEnd = row["loopEnd"]
        record.truePeakDb = row["truePeakDb"]
        record.loudnessLufs = row["loudnessLufs"]
        record.loudnessRangeLu = row["loudnessRangeLu"]
        record.clipLoudnessLufs = row["clipLoudnessLufs"]
        record.dcOffset = row["dcOffset"]
        record.clippedSamples = row["clippedSamples"]
        record.leadingSilence = row["leadingSilence"]
        record.trailingSilence = row["trailingSilence"]
        record.bpmSource = row["bpmSource"]
        record.camelot = row["camelot"]
        record.keySource = row["keySource"]
        record.typeSource = row["typeSource"]
        record.instruments = (row["instruments"] as String?).map { $0.split(separator: ",").map(String.init) } ?? []
        record.cuePoints = (row["cuePoints"] as String?).map { $0.split(separator: ",").compactMap { Int64($0) } } ?? []
        record.description = row["description"]
        record.originator = row["originator"]
        record.originated = row["originated"]
        record.modifiedNs = row["mtimeNs"]
        record.addedBy = (row["ownerUid"] as Int64?).map { UnixUsers.name(of: UInt32(truncatingIfNeeded: $0)) }
        record.originalName = row["originalName"]
        let take = TakeFields(artist: row["takeArtist"], song: row["takeSong"], track: row["takeTrack"], version: row["takeVersion"])
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
