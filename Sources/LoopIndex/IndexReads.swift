import Foundation
import GRDB
import LoopAPI
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

    /// The columns `record(_:)` reads: those of the record's fields, then those the index turns into
    /// other fields (the owner's name, the take).
    static let recordColumns = (RecordColumns.fieldColumns + RecordColumns.derivedColumns).joined(separator: ", ")

    static let recordSelect = "SELECT " + recordColumns + " FROM file"

    /// Reads a row that starts with `recordColumns`. Columns are taken by position (a name lookup
    /// scans the row's columns, which costs milliseconds per page of records).
    static func record(_ row: Row) -> SampleRecord {
        var record = SampleRecord(id: 0, path: "", root: "", size: 0, addedAt: 0, analyzedAt: 0)
        for (index, field) in RecordColumns.readableFields.enumerated() {
            field.read?(&record, StoredValue(row[index] as DatabaseValue))
        }
        let derived = RecordColumns.readableFields.count
        record.addedBy = (row[derived] as Int64?).map { UnixUsers.name(of: UInt32(truncatingIfNeeded: $0)) }
        let take = TakeFields(artist: row[derived + 1], song: row[derived + 2], track: row[derived + 3], version: row[derived + 4])
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
