/// `spotlight.search` params: a query as Samba's Spotlight service sends it (Elasticsearch's
/// `query_string`, confined to a share by `path.real.fulltext:"..."`), and a page.
public struct SpotlightSearchRequest: Codable, Sendable, Equatable {
    public var query: String
    public var from: Int
    public var size: Int

    public init(query: String, from: Int = 0, size: Int = 10) {
        self.query = query
        self.from = from
        self.size = size
    }

    /// The largest page Samba is given.
    public static let maxPageSize = 1000
}

/// One page of a Spotlight search: how many files match, and the paths of some.
public struct SpotlightResult: Codable, Sendable, Equatable {
    public var total: Int
    public var paths: [String]

    public init(total: Int, paths: [String]) {
        self.total = total
        self.paths = paths
    }
}
