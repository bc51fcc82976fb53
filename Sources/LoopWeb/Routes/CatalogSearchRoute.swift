import Foundation
import Hummingbird
import LoopAPI
import LoopCatalog
import LoopCore

/// `GET /sounds?everywhere=true`: the search answered from the shared catalogue, over every
/// server's files that any user of that server may read. Each sound names its `host` and whether
/// that host is `available` (heard from lately); another host's sound downloads through this server.
struct CatalogSearchRoute: Sendable {
    let catalog: CatalogSearch
    /// This server's name in the catalogue.
    let host: String
    let links: PublicLinks

    func search(_ request: Request, find: FindRequest, query: String, pageSize: Int) async throws -> Response {
        let page: CatalogPage
        do {
            page = try await catalog.find(find)
        } catch let error as QueryError {
            throw APIError(.badRequest, error.description)
        } catch {
            throw APIError(.serviceUnavailable, "The shared catalogue cannot be searched now: \(CatalogError.reason(error))")
        }
        let base = links.base(of: request)
        let parameters = request.uri.queryParameters
        let next = page.next.map { next in
            var components = URLComponents()
            components.queryItems = [
                URLQueryItem(name: "q", value: query), URLQueryItem(name: "everywhere", value: "true"),
                URLQueryItem(name: "page_size", value: String(pageSize)), URLQueryItem(name: "cursor", value: next),
            ] + ["sort", "half_double", "compatible_keys"].compactMap { name in parameters.get(name).map { URLQueryItem(name: name, value: $0) } }
            return base + "/sounds?" + (components.percentEncodedQuery ?? "")
        }
        let count: String = page.facets?.total.map(String.init) ?? "null"
        let nextText: String = next.map(JSONLiteral.string) ?? "null"
        var text = "{\"count\":" + count
        text += ",\"next\":" + nextText + ",\"previous\":null,\"results\":["
        for (index, hit) in page.hits.enumerated() {
            if index > 0 { text += "," }
            let members = ",\"host\":" + JSONLiteral.string(hit.host) + ",\"available\":\(hit.available)"
            SoundJSON.write(hit.record, base: base, to: &text, members: members, host: hit.host == host ? nil : hit.host)
        }
        text += "]"
        if let facets = page.facets, let encoded = try? JSONEncoder().encode(facets) {
            text += ",\"facets\":" + String(decoding: encoded, as: UTF8.self)
        }
        return SoundJSON.response(text + "}")
    }
}
