/// The full-text table's `meta` column: the record's text fields, as the triggers and the
/// in-memory columns both build it. The triggers hold the text as it was when their migration
/// ran: a change here needs a migration that creates them again.
enum FullText {
    /// The `file` columns the text is made of, in order; the update trigger watches them.
    static let metaColumns = ["title", "artist", "genre", "comment", "instruments", "description"]

    /// The SQL expression of the text, over the row named by `prefix` ("new." in a trigger).
    /// Instruments are stored comma-separated and indexed as words.
    static func meta(of prefix: String) -> String {
        metaColumns.map { column in
            column == "instruments" ? "replace(coalesce(\(prefix)\(column), ''), ',', ' ')" : "coalesce(\(prefix)\(column), '')"
        }.joined(separator: " || ' ' || ")
    }
}
