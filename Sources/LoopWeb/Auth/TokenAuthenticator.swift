import Foundation
import Hummingbird
import LoopAPI

/// Every route behind it needs `Authorization: Bearer TOKEN`; loopd says whose token it is.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = WebContext
    let loopd: LoopdGateway

    /// Tokens are 48 characters; anything much longer is not one.
    static let maxTokenLength = 256

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError.unauthorized("Log in: send Authorization: Bearer TOKEN (on the server, loopctl token create NAME makes one).")
        }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= Self.maxTokenLength else { throw APIError.unauthorized("Log in again: the token is not valid.") }
        var context = context
        context.account = try await loopd.call(LoopMethod.tokenVerify, TokenCheck(token: token))
        return try await next(request, context)
    }
}
