import LoopCore

/// `records` params: the records of the files `ids` names, or a page of every record in id order
/// after `after`: what a copy of the index (the shared catalogue) is filled and kept up with.
public struct RecordsRequest: Codable, Sendable, Equatable {
    public var ids: [Int64]?
    public var after: Int64?
    public var limit: Int?

    /// The most ids, or the largest page, one call may ask for.
    public static let maxRecords = 1_000

    public init(ids: [Int64]) {
        self.ids = ids
    }

    public init(after: Int64, limit: Int) {
        self.after = after
        self.limit = limit
    }
}

/// The reply to `records`: online records in id order; `next` is the `after` of the following page
/// (nil on the last, and for a request by ids).
public struct RecordsPage: Codable, Sendable, Equatable {
    public var records: [SampleRecord]
    public var next: Int64?

    public init(records: [SampleRecord], next: Int64?) {
        self.records = records
        self.next = next
    }
}

extension RecordsPage: JSONWritable {
    /// Written directly: the catalogue's publisher asks for pages of hundreds of records, and
    /// `JSONEncoder` was most of loopd's time answering them.
    public func writeJSON(to output: inout String) {
        output += "{\"records\":"
        records.writeJSON(to: &output)
        if let next { output += ",\"next\":" + JSONLiteral.number(next) }
        output += "}"
    }
}
