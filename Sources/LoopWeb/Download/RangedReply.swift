import Foundation
import Hummingbird

/// A reply of bytes that can be sought: a strong `ETag` when there is one, `If-None-Match` (304),
/// one exact `Range` (206, 416 with `bytes */size`), `If-Range`; `body` gives a range's bytes.
enum RangedReply {
    static func make(
        _ request: Request, size: Int64, tag: String?, headers: HTTPFields, sendBody: Bool, body: (ClosedRange<Int64>) -> ResponseBody
    ) throws -> Response {
        var headers = headers
        headers[.acceptRanges] = "bytes"
        if let tag { headers[.eTag] = tag }
        if let tag, let match = request.headers[.ifNoneMatch], EntityTag.matches(match, tag) {
            return Response(status: .notModified, headers: headers)
        }
        var answer = ByteRange.resolve(request.headers[.range], size: size)
        if let ifRange = request.headers[.ifRange], ifRange.trimmingCharacters(in: .whitespaces) != tag { answer = .whole }
        switch answer {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            throw APIError(.rangeNotSatisfiable, "The range is outside the file, which has \(size) bytes.", headers: headers)
        case let .part(range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            return Response(status: .partialContent, headers: headers, body: sendBody ? body(range) : ResponseBody())
        case .whole:
            headers[.contentLength] = String(size)
            return Response(status: .ok, headers: headers, body: sendBody && size > 0 ? body(0...(size - 1)) : ResponseBody())
        }
    }
}
