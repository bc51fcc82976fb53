import Foundation

/// The body Samba's mdssvc posts to `/<index>/_search`:
/// `{"from": N, "size": M, "_source": ["path.real"], "query": {"query_string": {"query": "..."}}}`.
struct SpotlightSearchBody: Decodable {
    struct Query: Decodable {
        struct QueryString: Decodable {
            var query: String
        }

        var query_string: QueryString
    }

    var from: Int?
    var size: Int?
    var query: Query
}

/// The reply Samba reads: `hits.total.value` and each hit's `_source.path.real`.
struct SpotlightSearchReply: Encodable {
    struct Hits: Encodable {
        struct Total: Encodable {
            var value: Int
            var relation = "eq"
        }

        struct Hit: Encodable {
            struct Source: Encodable {
                struct Path: Encodable {
                    var real: String
                }

                var path: Path
            }

            var _source: Source
        }

        var total: Total
        var hits: [Hit]
    }

    var took: Int
    var timed_out = false
    var hits: Hits

    init(total: Int, paths: [String], milliseconds: Int) {
        took = milliseconds
        hits = Hits(total: Hits.Total(value: total), hits: paths.map { Hits.Hit(_source: .init(path: .init(real: $0))) })
    }
}

/// An error body shaped as Elasticsearch shapes them.
struct SpotlightErrorReply: Encodable {
    struct Cause: Encodable {
        var type: String
        var reason: String
    }

    var error: Cause
    var status: Int
}
