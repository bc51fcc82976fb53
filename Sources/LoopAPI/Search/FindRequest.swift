import Foundation
import LoopCore

/// Orders for search results.
public enum SearchSort: String, Codable, Sendable, CaseIterable {
    /// Best text match first (the default when the query has words); by name otherwise.
    case relevance
    case name, bpm, key, duration, loudness
    /// Most recently added first.
    case added
    /// Shuffled, the same way for the same seed.
    case random
}

/// A search in the query language, one page at a time (params of `find`).
public struct FindRequest: Codable, Sendable, Equatable {
    /// The query, e.g. `kick bpm:120..128 -tag:vocal` (see `LibraryQueryParser`); empty matches everything.
    public var query: String
    public var sort: SearchSort?
    /// Reverse the order (for name, bpm, key, duration, loudness, added).
    public var descending: Bool
    /// For `random`: the same seed gives the same order.
    public var seed: Int
    /// Where the previous page ended (`FindResult.next`); nil for the first page.
    public var cursor: String?
    public var limit: Int
    /// `bpm:` ranges also match half and double time.
    public var halfDoubleTime: Bool
    /// `key:` also matches harmonically compatible keys (Camelot neighbours).
    public var compatibleKeys: Bool
    /// Also count matches per key, BPM band, type, format, tag and folder.
    public var facets: Bool

    public static let defaultLimit = 50
    public static let maxLimit = 10_000

    public init(
        query: String = "", sort: SearchSort? = nil, descending: Bool = false, seed: Int = 0, cursor: String? = nil,
        limit: Int = FindRequest.defaultLimit, halfDoubleTime: Bool = false, compatibleKeys: Bool = false, facets: Bool = false
    ) {
        self.query = query
        self.sort = sort
        self.descending = descending
        self.seed = seed
        self.cursor = cursor
        self.limit = limit
        self.halfDoubleTime = halfDoubleTime
        self.compatibleKeys = compatibleKeys
        self.facets = facets
    }

    private enum CodingKeys: String, CodingKey { case query, sort, descending, seed, cursor, limit, halfDoubleTime, compatibleKeys, facets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        query = try c.decodeIfPresent(String.self, forKey: .query) ?? ""
        sort = try c.decodeIfPresent(SearchSort.self, forKey: .sort)
        descending = try c.decodeIfPresent(Bool.self, forKey: .descending) ?? false
        seed = try c.decodeIfPresent(Int.self, forKey: .seed) ?? 0
        cursor = try c.decodeIfPresent(String.self, forKey: .cursor)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit) ?? Self.defaultLimit
        halfDoubleTime = try c.decodeIfPresent(Bool.self, forKey: .halfDoubleTime) ?? false
        compatibleKeys = try c.decodeIfPresent(Bool.self, forKey: .compatibleKeys) ?? false
        facets = try c.decodeIfPresent(Bool.self, forKey: .facets) ?? false
    }
}

/// Counts of the matching files per value, as Splice shows beside its results.
public struct SearchFacets: Codable, Sendable, Equatable {
    /// How many files match in all (nil from a loopd older than this field).
    public var total: Int?
    public var key: [String: Int] = [:]
    /// Ten-BPM bands, "120-129".
    public var bpm: [String: Int] = [:]
    public var type: [String: Int] = [:]
    public var format: [String: Int] = [:]
    public var tag: [String: Int] = [:]
    /// The first folder below the root ("" for files at the root).
    public var folder: [String: Int] = [:]

    public init() {}
}

/// One page of a `find`.
public struct FindResult: Codable, Sendable, Equatable {
    public var records: [SampleRecord]
    /// Pass as `cursor` for the next page; nil on the last page.
    public var next: String?
    public var facets: SearchFacets?

    public init(records: [SampleRecord], next: String?, facets: SearchFacets? = nil) {
        self.records = records
        self.next = next
        self.facets = facets
    }
}

extension FindResult: JSONWritable {
    /// Records written directly (they are most of a page); the small facets go through the encoder.
    public func writeJSON(to output: inout String) {
        output += "{\"records\":"
        records.writeJSON(to: &output)
        if let next { output += ",\"next\":" + JSONLiteral.string(next) }
        if let facets, let encoded = try? JSONEncoder().encode(facets) {
            output += ",\"facets\":" + String(decoding: encoded, as: UTF8.self)
        }
        output += "}"
    }
}
