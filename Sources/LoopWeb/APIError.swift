import Hummingbird
import LoopCore
import LoopRPC

/// An error as the API answers it: a status and `{"detail": "one clear sentence"}`.
public struct APIError: HTTPResponseError {
    public let status: HTTPResponse.Status
    public let detail: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"detail\":" + JSONLiteral.string(detail) + "}")))
    }

    static func unauthorized(_ detail: String) -> APIError {
        APIError(.unauthorized, detail, headers: [.wwwAuthenticate: "Bearer realm=\"OpenLoop\""])
    }

    /// What a failed call to loopd means for the client.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as RPCClientError:
            switch error {
            case .notRunning, .cannotConnect:
                return APIError(.serviceUnavailable, "The library is not available now: loopd is not running.")
            case let .server(rpc):
                switch RPCErrorCode(rawValue: rpc.code) {
                case .invalidParams, .invalidQuery, .requestTooLarge, .outsideLibrary: return APIError(.badRequest, rpc.message)
                case .alreadyExists: return APIError(.conflict, rpc.message)
                case .noSuchFile, .noSuchCollection: return APIError(.notFound, rpc.message)
                case .permissionDenied: return APIError(.forbidden, rpc.message)
                case .noSuchAccount: return unauthorized("Log in again: the token is not valid.")
                case .shuttingDown: return APIError(.serviceUnavailable, rpc.message)
                default: return APIError(.badGateway, rpc.message)
                }
            default:
                return APIError(.badGateway, "loopd gave an answer loopweb could not read: \(error.description)")
            }
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, "Something failed inside loopweb: \(error).")
        }
    }
}

/// Every error leaves as `{"detail": ...}`, whatever threw it.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw APIError.from(error)
        }
    }
}
