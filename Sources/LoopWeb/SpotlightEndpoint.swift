import Logging
import LoopAPI
import LoopCore
import LoopRPC
import LoopSpotlight

/// Finder search on the share: Samba's Spotlight service asks an Elasticsearch-style endpoint, which
/// loopweb serves (loopd has no network) and answers with loopd's `spotlight.search`.
public enum SpotlightEndpoint {
    /// Binds `host:port` (loopback only: Samba sends no credentials).
    public static func server(host: String, port: Int, loopd: LoopdGateway, logger: Logger) async throws -> SpotlightServer {
        try await SpotlightServer(host: host, port: port, logger: logger) { request in
            do {
                return try await loopd.call(LoopMethod.spotlightSearch, request)
            } catch let RPCClientError.server(error) where error.code == RPCErrorCode.invalidQuery.rawValue {
                throw SpotlightQueryError(error.message)
            }
        }
    }

    /// Whether an address is this machine's loopback.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
