import LoopCore

/// Where a `SampleRecord` is kept in the `file` table, from `SampleRecord.fields`.
enum RecordColumns {
    /// The fields read straight from a column, in select-list order.
    static let readableFields = SampleRecord.fields.filter { $0.column != nil }
    static let fieldColumns = readableFields.compactMap(\.column)
    /// Read after the fields' columns: the owner (shown as a name) and the take.
    static let derivedColumns = ["ownerUid"] + takeColumns
    /// A take's fields, one column each: `takeArtist`, `takeSong`, `takeTrack`, `takeVersion`.
    static let takeColumns = PathTemplate.fieldNames.map { "take" + $0.prefix(1).uppercased() + $0.dropFirst() }

    /// A take's values in `takeColumns` order.
    static func takeValues(_ take: TakeFields?) -> [String?] {
        PathTemplate.fieldNames.map { take?.value(of: $0) }
    }

    /// The fields a verdict decides, derived again whenever a file's path changes.
    static let verdictFields = SampleRecord.fields.filter { $0.storedFromVerdict != nil }
    /// The fields the analysis of a file measures or reads from it.
    static let analysisFields = SampleRecord.fields.filter { $0.storedFromAnalysis != nil }

    static func verdictValues(_ verdict: SampleVerdict) -> [StoredValue] {
        verdictFields.compactMap { $0.storedFromVerdict?(verdict) }
    }
}
