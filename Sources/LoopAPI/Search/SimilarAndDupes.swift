import LoopCore

/// Params of `similar`: the sound to start from, and optionally a query the results must match.
public struct SimilarRequest: Codable, Sendable, Equatable {
    public var id: Int64?
    public var path: String?
    /// A query in the query language the results must also match, e.g. `type:one-shot`.
    public var `where`: String?
    public var limit: Int

    public init(id: Int64? = nil, path: String? = nil, where: String? = nil, limit: Int = 20) {
        self.id = id
        self.path = path
        self.where = `where`
        self.limit = limit
    }

    private enum CodingKeys: String, CodingKey { case id, path, `where`, limit }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int64.self, forKey: .id)
        path = try c.decodeIfPresent(String.self, forKey: .path)
        `where` = try c.decodeIfPresent(String.self, forKey: .where)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit) ?? 20
    }
}

/// One result of `similar`: a file and how far its sound is from the one asked about (0 is identical).
public struct SimilarMatch: Codable, Sendable, Equatable {
    public var record: SampleRecord
    public var distance: Double

    public init(record: SampleRecord, distance: Double) {
        self.record = record
        self.distance = distance
    }
}

/// Files with identical content (the same SHA-256), as `dupes` reports them.
public struct DuplicateGroup: Codable, Sendable, Equatable {
    public var hash: String
    /// Bytes of one copy.
    public var size: Int64
    public var records: [SampleRecord]

    public init(hash: String, size: Int64, records: [SampleRecord]) {
        self.hash = hash
        self.size = size
        self.records = records
    }

    /// What deleting all copies but one would free.
    public var reclaimableBytes: Int64 { size * Int64(max(records.count - 1, 0)) }
}

/// The reply to `dupes`.
public struct DuplicatesReport: Codable, Sendable, Equatable {
    public var groups: [DuplicateGroup]
    /// Files beyond the first of each group.
    public var extraCopies: Int
    public var reclaimableBytes: Int64

    public init(groups: [DuplicateGroup]) {
        self.groups = groups
        extraCopies = groups.reduce(0) { $0 + max($1.records.count - 1, 0) }
        reclaimableBytes = groups.reduce(0) { $0 + $1.reclaimableBytes }
    }
}
