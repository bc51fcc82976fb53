#if canImport(Glibc)
import Glibc
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoopCore
import LoopFiles
import Synchronization

/// Why a request to the server failed, as one sentence.
struct FetchError: Error, CustomStringConvertible {
    var description: String
    /// loopctl's exit code for it (see `ExitCodes`).
    var exitCode = ExitCodes.failure
}

/// loopweb's API from loopctl: JSON lists, and downloads streamed into a partial file that a later
/// run resumes (`Range` with `If-Range` on the index's SHA-256), checked before they take their place.
struct HTTPFetcher {
    let token: String
    private let session = URLSession(configuration: .ephemeral)

    init(token: String) {
        self.token = token
    }

    /// The sounds of a list reply (`{"results": [...]}`).
    func sounds(at url: String) throws(FetchError) -> [RemoteSound] {
        let (status, body) = try get(url)
        guard status == 200 else { throw FetchError(description: Self.detail(body) ?? "the server answered \(status) for \(url)") }
        struct List: Decodable { var results: [RemoteSound] }
        do {
            return try JSONDecoder().decode(List.self, from: body).results
        } catch {
            throw FetchError(description: "the server's list could not be read (\(error))")
        }
    }

    func get(_ url: String) throws(FetchError) -> (Int, Data) {
        try send(try request(url))
    }

    /// A JSON body posted.
    func post(_ url: String, json body: Data) throws(FetchError) -> (Int, Data) {
        try send("POST", url, json: body)
    }

    /// A request by `method`, with a JSON body when one is given.
    func send(_ method: String, _ url: String, json body: Data? = nil) throws(FetchError) -> (Int, Data) {
        var request = try request(url)
        request.httpMethod = method
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        return try send(request)
    }

    /// A file's bytes as the body of a PUT, read from disk as they are sent.
    func put(_ url: String, file: String, headers: [String: String]) throws(FetchError) -> (Int, Data) {
        var request = try request(url)
        request.httpMethod = "PUT"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        return try send(request, uploading: URL(fileURLWithPath: file))
    }

    private func request(_ url: String) throws(FetchError) -> URLRequest {
        guard let address = URL(string: url) else { throw FetchError(description: "not a URL: \(url)") }
        var request = URLRequest(url: address)
        request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")
        return request
    }

    private func send(_ request: URLRequest, uploading file: URL? = nil) throws(FetchError) -> (Int, Data) {
        let result = Mutex<(Int, Data, String?)?>(nil)
        let done = DispatchSemaphore(value: 0)
        let handler: @Sendable (Data?, URLResponse?, (any Error)?) -> Void = { data, response, error in
            result.withLock { $0 = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data(), error.map { "\($0.localizedDescription)" }) }
            done.signal()
        }
        if let file {
            session.uploadTask(with: request, fromFile: file, completionHandler: handler).resume()
        } else {
            session.dataTask(with: request, completionHandler: handler).resume()
        }
        done.wait()
        guard let (status, body, failure) = result.withLock({ $0 }) else { throw FetchError(description: "no answer from \(request.url?.absoluteString ?? "the server")") }
        if let failure { throw FetchError(description: "cannot reach the server: \(failure)") }
        return (status, body)
    }

    /// Downloads `url` to `path` by way of `partial` (kept when cut off, resumed next time when
    /// the SHA-256 is known), checked against `sha256`; returns the bytes fetched now. Without
    /// `replace`, a file that appeared at `path` meanwhile is kept and this fails.
    func download(from url: String, sha256: String?, to path: String, partial: String, replace: Bool = true) throws(FetchError) -> Int64 {
        var request = try request(url)
        let have = FileStat.of(partial).map { Int64($0.size) } ?? 0
        if have > 0, let sha256 {
            request.setValue("bytes=\(have)-", forHTTPHeaderField: "Range")
            // Only if the file is still the one begun: otherwise the whole of it comes.
            request.setValue("\"\(sha256)\"", forHTTPHeaderField: "If-Range")
        }
        let writer = PartialFileWriter(path: partial)
        let streaming = URLSession(configuration: .ephemeral, delegate: writer, delegateQueue: nil)
        streaming.dataTask(with: request).resume()
        writer.finished.wait()
        streaming.finishTasksAndInvalidate()
        let outcome = writer.outcome
        if let failure = outcome.failure { throw FetchError(description: failure) }
        if let sha256, (try? ContentHasher.sha256(path: partial)) != sha256 {
            unlink(partial)
            throw FetchError(description: "the bytes received do not match the server's SHA-256; nothing was kept", exitCode: ExitCodes.mismatch)
        }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw FetchError(description: "cannot make the folder for \(path)")
        }
        if replace {
            guard rename(partial, path) == 0 else { throw FetchError(description: "cannot put \(path) in place: \(String(cString: strerror(errno)))") }
        } else {
            do {
                try NoReplaceMove.move(partial, to: path)
            } catch {
                throw FetchError(description: error.description, exitCode: ExitCodes.exists)
            }
        }
        return outcome.received
    }

    static func detail(_ body: Data) -> String? {
        struct Detail: Decodable { var detail: String }
        return (try? JSONDecoder().decode(Detail.self, from: body))?.detail
    }
}

/// Writes a response body into a partial file as it arrives: appended after a 206, from the start
/// after a 200; any other answer is an error.
final class PartialFileWriter: NSObject, URLSessionDataDelegate, Sendable {
    struct Outcome: Sendable {
        var received: Int64 = 0
        var failure: String?
        var descriptor: Int32 = -1
        var errorBody = Data()
    }

    let path: String
    let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(Outcome())

    init(path: String) {
        self.path = path
    }

    var outcome: Outcome { state.withLock { $0 } }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse, completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        state.withLock { outcome in
            switch status {
            case 206: outcome.descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            case 200: outcome.descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            default: outcome.failure = "the server answered \(status)"
            }
            if outcome.failure == nil, outcome.descriptor < 0 { outcome.failure = "cannot write \(path): \(String(cString: strerror(errno)))" }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state.withLock { outcome in
            guard outcome.failure == nil else {
                outcome.errorBody.append(data.prefix(4096 - outcome.errorBody.count))
                return
            }
            let written = data.withUnsafeBytes { FileWriting.writeAll(outcome.descriptor, $0) }
            if written { outcome.received += Int64(data.count) } else { outcome.failure = "cannot write \(path): \(String(cString: strerror(errno)))" }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        state.withLock { outcome in
            if outcome.descriptor >= 0 { close(outcome.descriptor) }
            outcome.descriptor = -1
            if let detail = HTTPFetcher.detail(outcome.errorBody), let failure = outcome.failure { outcome.failure = failure + ": " + detail }
            if let error, outcome.failure == nil { outcome.failure = "the download was cut off (\(error.localizedDescription)); run pull again to resume" }
        }
        finished.signal()
    }
}
