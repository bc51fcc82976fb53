import Hummingbird
import LoopCore

/// `GET /peer/sounds/{request}`: a file of this server for another server of the catalogue, which
/// streams it to its own client. No login: the signed request (this host's peer key, the file's
/// id, a minute's expiry) is the permission, and only for a file any user here may read (what the
/// catalogue lists as public).
struct PeerServeRoutes: Sendable {
    let keys: PeerKeys
    /// This server's name in the catalogue, to which the request must be signed.
    let host: String
    let sounds: SoundRoutes

    func addPublic(to group: RouterGroup<WebContext>) {
        group.get("peer/sounds/:request") { request, context in try await serve(request, context, sendBody: true) }
        group.head("peer/sounds/:request") { request, context in try await serve(request, context, sendBody: false) }
    }

    func serve(_ request: Request, _ context: WebContext, sendBody: Bool) async throws -> Response {
        let signed = try await keys.requests(to: host)
        switch signed.check(context.parameters.get("request") ?? "") {
        case let .valid(id):
            let record = try await sounds.record(id: id, for: nil)
            guard ReadPermission(.anyone).mayRead(record.path) else { throw APIError(.notFound, "No such sound: \(id) is not one other servers may fetch.") }
            return try await sounds.download(request, record: record, pacedBy: context.eventLoop, sendBody: sendBody)
        case .expired: throw APIError(.gone, "This request from another server has expired.")
        case .invalid: throw APIError(.notFound, "No such request from another server.")
        }
    }
}
