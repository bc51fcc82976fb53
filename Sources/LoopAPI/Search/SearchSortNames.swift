/// The HTTP API's sort names (Freesound's): `score`, or a field with `_asc` or `_desc`
/// (`duration_desc`, `created_desc`). loopweb reads them and loopctl writes them.
extension SearchSort {
    /// The field's name in the API: `created` for `added`.
    var apiField: String { self == .added ? "created" : rawValue }

    /// The API's name of this order.
    public func apiName(descending: Bool) -> String {
        self == .relevance ? "score" : apiField + (descending ? "_desc" : "_asc")
    }

    /// The order an API name gives, and whether it is descending; a bare field is ascending, and
    /// `added` serves as well as `created`. Nil for a name that is none.
    public static func parse(apiName text: String) -> (sort: SearchSort, descending: Bool)? {
        if text == "score" { return (.relevance, false) }
        var name = text, descending = false
        if name.hasSuffix("_desc") { name.removeLast(5); descending = true } else if name.hasSuffix("_asc") { name.removeLast(4) }
        guard let sort = allCases.first(where: { $0 != .relevance && ($0.apiField == name || $0.rawValue == name) }) else { return nil }
        return (sort, descending)
    }

    /// Every field name the API takes, for a message.
    public static var apiNames: [String] { ["score"] + allCases.filter { $0 != .relevance }.map(\.apiField) }
}
