import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import LoopCatalog
import LoopFiles
import NIOCore
import NIOHTTP1

/// `GET /hosts/{host}/sounds/{id}/download`: a sound another server of the catalogue holds (as
/// `everywhere=true` lists it), streamed from that server's loopweb through this one. The request
/// there is signed with that host's peer key; its reply's `ETag` must be the catalogued SHA-256
/// before a byte is passed on, and a whole file is hashed on the way: its last chunk is sent only
/// once the hash matches, so a client never receives a wrong file complete.
struct PeerDownloadRoutes: Sendable {
    let peers: CatalogPeers
    let keys: PeerKeys
    let http: HTTPClient
    /// This server's name in the catalogue: its own sounds are served as `/sounds/{id}/download` is.
    let host: String
    let sounds: SoundRoutes

    /// Headers of the client's passed to the other server, and of its reply passed back.
    static let forwarded: [HTTPField.Name] = [.range, .ifRange, .ifNoneMatch]
    static let returned: [HTTPField.Name] = [.contentType, .contentDisposition, .contentLength, .contentRange, .acceptRanges, .eTag]

    func add(to group: RouterGroup<WebContext>) {
        group.get("hosts/:host/sounds/:id/download") { request, context in try await download(request, context, sendBody: true) }
        group.head("hosts/:host/sounds/:id/download") { request, context in try await download(request, context, sendBody: false) }
    }

    func download(_ request: Request, _ context: WebContext, sendBody: Bool) async throws -> Response {
        let id = try SoundRoutes.id(context)
        let holder = context.parameters.get("host") ?? ""
        if holder == host { return try await sounds.download(request, context, sendBody: sendBody) }
        let location = try await locate(holder, id)
        guard let hash = location.hash else { throw APIError(.serviceUnavailable, "Sound \(id) on host \(holder) has no checksum yet; try again once it is analysed.") }
        let reply = try await ask(holder, id, at: location, for: request, sendBody: sendBody)
        var headers = HTTPFields()
        for name in Self.returned {
            if let value = reply.headers.first(name: name.rawName) { headers[name] = value }
        }
        switch reply.status {
        case .ok, .partialContent, .notModified:
            guard reply.headers.first(name: "ETag") == "\"\(hash)\"" else {
                throw APIError(.badGateway, "The file on host \(holder) is not the one the catalogue lists (it changed since); try again once the catalogue has caught up.")
            }
        case .notFound: throw APIError(.notFound, "Host \(holder) no longer has sound \(id).")
        case .rangeNotSatisfiable:
            throw APIError(.rangeNotSatisfiable, "The range is outside the file, which has \(location.size) bytes.", headers: [.contentRange: "bytes */\(location.size)"])
        case .gone: throw APIError(.badGateway, "Host \(holder) found this server's request expired: the two servers' clocks differ by more than a minute.")
        default: throw APIError(.badGateway, "Host \(holder) did not send sound \(id) (HTTP \(reply.status.code)).")
        }
        let status = HTTPResponse.Status(code: Int(reply.status.code))
        guard sendBody, status != .notModified else { return Response(status: status, headers: headers) }
        let whole = status == .ok
        let size = location.size
        return Response(status: status, headers: headers, body: ResponseBody { writer in
            var hasher = SHA256()
            var held: ByteBuffer?
            for try await chunk in reply.body {
                if whole { hasher.update(data: chunk.readableBytesView) }
                if let previous = held { try await writer.write(previous) }
                held = chunk
            }
            if whole, ContentHasher.hex(hasher.finalize()) != hash {
                // Throwing ends the connection short of the length promised: the client sees a failed download.
                throw APIError(.badGateway, "The \(size) bytes host \(holder) sent for sound \(id) are not the file the catalogue lists.")
            }
            if let held { try await writer.write(held) }
            try await writer.finish(nil)
        })
    }

    func locate(_ holder: String, _ id: Int64) async throws -> CatalogPeers.Location {
        let found: CatalogPeers.Location?
        do {
            found = try await peers.location(host: holder, fileID: id)
        } catch {
            throw APIError(.serviceUnavailable, "The shared catalogue cannot be read now: \(CatalogError.reason(error))")
        }
        guard let location = found else { throw APIError(.notFound, "No such sound in the shared catalogue: \(id) on host \(holder).") }
        guard location.available else { throw APIError(.serviceUnavailable, "Host \(holder) has not been heard from lately; its sounds can be fetched when it is back.") }
        guard location.peerURL != nil else { throw APIError(.serviceUnavailable, "Host \(holder) has not said where other servers reach it (loopweb --peer-url there).") }
        return location
    }

    func ask(_ holder: String, _ id: Int64, at location: CatalogPeers.Location, for request: Request, sendBody: Bool) async throws -> HTTPClientResponse {
        var base = location.peerURL ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        let token = try await keys.requests(to: holder).token(id: id, expires: Int64(Date().timeIntervalSince1970) + PeerKeys.lifetime)
        var outgoing = HTTPClientRequest(url: base + "/api/v1/peer/sounds/" + token)
        outgoing.method = sendBody ? .GET : .HEAD
        for name in Self.forwarded {
            if let value = request.headers[name] { outgoing.headers.add(name: name.rawName, value: value) }
        }
        do {
            // The deadline bounds the whole transfer; the client's read timeout catches a host gone quiet.
            return try await http.execute(outgoing, timeout: .hours(6))
        } catch {
            throw APIError(.badGateway, "Host \(holder) cannot be reached at \(base): \(error).")
        }
    }
}
