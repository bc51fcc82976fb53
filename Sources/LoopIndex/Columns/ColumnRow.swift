import GRDB
import GRDBSQLite

/// The search fields of one `file` row, as the in-memory columns keep them.
struct ColumnRow {
    var id: Int64
    var present: Bool
    var relativePath: [UInt8]
    var bpm: Double?
    var camelot: String?
    var key: String?
    var type: String?
    var format: String?
    var duration: Double?
    var loudness: Double?
    var sampleRate: Double?
    var channels: Double?
    var bitDepth: Double?
    var addedAt: Double
    var ownerUid: Int64?
    var instruments: String?
    /// The full-text table's two columns: the relative path, and the metadata text its trigger builds.
    var pathText: String
    var metaText: String

    /// The columns `read(_:)` expects, in order; `meta` is built exactly as the full-text trigger builds it.
    static let select = """
        SELECT id, missingSince IS NULL, relativePath, bpm, camelot, key, type, format, duration,
               coalesce(loudnessLufs, clipLoudnessLufs), sampleRate, channels, bitDepth, addedAt, ownerUid, instruments,
               \(FullText.meta(of: ""))
        FROM file
        """

    /// Reads every row the statement returns, straight from SQLite (no `Row` per file).
    static func readAll(_ statement: Statement, _ body: (ColumnRow) -> Void) throws {
        let cursor = try Row.fetchCursor(statement)
        let sqlite = statement.sqliteStatement
        func text(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(sqlite, column) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(sqlite, column))), as: UTF8.self)
        }
        func double(_ column: Int32) -> Double? {
            sqlite3_column_type(sqlite, column) == SQLITE_NULL ? nil : sqlite3_column_double(sqlite, column)
        }
        while try cursor.next() != nil {
            let pathText = text(2) ?? ""
            body(ColumnRow(
                id: sqlite3_column_int64(sqlite, 0), present: sqlite3_column_int(sqlite, 1) != 0,
                relativePath: Array(pathText.utf8), bpm: double(3), camelot: text(4), key: text(5), type: text(6), format: text(7),
                duration: double(8), loudness: double(9), sampleRate: double(10), channels: double(11), bitDepth: double(12),
                addedAt: sqlite3_column_double(sqlite, 13),
                ownerUid: sqlite3_column_type(sqlite, 14) == SQLITE_NULL ? nil : sqlite3_column_int64(sqlite, 14),
                instruments: text(15), pathText: pathText, metaText: text(16) ?? ""
            ))
        }
    }
}
