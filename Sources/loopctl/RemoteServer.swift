import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoopAPI
import LoopCore
import LoopRPC

/// A loopweb server that loopctl's commands run on (`--server URL --token T`): loopd's methods
/// through `POST /api/v1/rpc` with the same wire types as on the socket, and files by id through
/// the API's downloads and uploads.
struct RemoteServer {
    /// The server's URL without a trailing slash, e.g. `https://studio.example/openloop`.
    let base: String
    let fetcher: HTTPFetcher

    /// The server named by the option or `$LOOPD_SERVER`; nil when neither names one.
    static func named(server: String?, token: String?) throws -> RemoteServer? {
        let environment = ProcessInfo.processInfo.environment
        guard let text = server ?? environment["LOOPD_SERVER"], !text.isEmpty else { return nil }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--server must be an http:// or https:// URL, not '\(text)'.")
        }
        guard let token = token ?? environment["LOOPD_TOKEN"], !token.isEmpty else {
            throw ValidationError("Give a token for \(trimmed): --token T (or set LOOPD_TOKEN); loopctl token create NAME on the server makes one.")
        }
        return RemoteServer(base: trimmed, fetcher: HTTPFetcher(token: token))
    }

    /// The API's URL for `path` (which starts with a slash).
    func api(_ path: String) -> String { base + "/api/v1" + path }

    /// The API's URL of a collection (`/collections/{name}`, the name one escaped path segment),
    /// followed by `rest`.
    func collection(_ name: String, _ rest: String = "") -> String {
        let segment = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
        return api("/collections/" + segment + rest)
    }

    /// One of loopd's methods, run by the server for the token's account.
    func call<Params, Result>(_ method: RPCMethod<Params, Result>, _ params: Params) throws(RPCClientError) -> Result {
        let body = try RPCRequestLine.make(id: 1, method: method.name, params: params is NoParams ? nil : params, onBehalfOf: nil)
        let (_, reply) = try exchange { () throws(FetchError) in try fetcher.post(api("/rpc"), json: body) }
        return try RPCRequestLine.result(of: reply, as: Result.self)
    }

    /// A reply's JSON as `type`; anything else is a bad reply, described as `what`.
    func decode<T: Decodable>(_ type: T.Type, _ body: Data, _ what: String) throws(RPCClientError) -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw .serverBadReply(url: base, reason: "\(what) (\(error))")
        }
    }

    /// Runs a request, mapping a transport failure and a refusal to the client's errors.
    func exchange(_ request: () throws(FetchError) -> (Int, Data)) throws(RPCClientError) -> (Int, Data) {
        let answer: (Int, Data)
        do {
            answer = try request()
        } catch {
            throw .serverUnreachable(url: base, reason: error.description)
        }
        guard (200..<300).contains(answer.0) else {
            throw .serverRefused(status: answer.0, detail: HTTPFetcher.detail(answer.1) ?? HTTPURLResponse.localizedString(forStatusCode: answer.0))
        }
        return answer
    }
}
