import Crypto
import Foundation
import HTTPTypes
import LoopCatalog

/// Keys for requests between the servers of one catalogue: each host's own, derived from the
/// catalogue's secret and the host's name, so a request signed for one host is worthless at another.
struct PeerKeys: Sendable {
    let peers: CatalogPeers

    /// A request lives this long: enough for a slow connection to open, too short to be worth keeping.
    static let lifetime: Int64 = 60

    /// Signs and checks requests to `host`.
    func requests(to host: String) async throws -> SignedLinks {
        let secret: Data
        do {
            secret = try await peers.secret()
        } catch {
            throw APIError(.serviceUnavailable, "Requests between servers cannot be signed now: \(CatalogError.reason(error))")
        }
        let key = HMAC<SHA256>.authenticationCode(for: Data("OpenLoop requests to host \(host)".utf8), using: SymmetricKey(data: secret))
        return SignedLinks(key: Data(key))
    }
}
