import Foundation
import Hummingbird

/// A small JSON request body: checked for its type and size, decoded, or a clear 4xx.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, maxBytes: Int, shape: String) async throws -> T {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw APIError(.unsupportedMediaType, "Send the body as JSON (Content-Type: application/json).")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw APIError(.contentTooLarge, "The body is too large: at most \(maxBytes) bytes.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError(.badRequest, "The body is not the JSON expected: \(shape).")
        }
    }
}
