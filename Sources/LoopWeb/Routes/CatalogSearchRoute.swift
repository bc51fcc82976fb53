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

    func search(_ request: Request, find: FindRequest, query: String, pageSize: Int, account: String?) async throws -> Response {
        let page: CatalogPage
        do {
            page = try await catalog.find(find, account: account)
        } catch let error as QueryError {
            throw APIError(.badRequest, error.description)
        } catch {
            throw APIError(.serviceUnavailable, "The shared catalogue cannot be searched now: \(CatalogError.reason(error))")
        }
        let base = links.base(of: request)
        let next = page.next.map { SoundJSON.nextPage($0, of: request, base: base, query: query, pageSize: pageSize, everywhere: true) }
        let hits = page.hits
        return SoundJSON.page(
            hits.map(\.record), count: page.facets?.total, next: next, base: base, facets: page.facets,
            members: { SoundJSON.members(of: hits[$0]) }, hosts: { SoundJSON.holder(of: hits[$0], ownHost: host) }
        )
    }
}
