import Foundation
import Logging
import LoopAPI
import LoopCore
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// Answers the small part of the Elasticsearch search API that Samba's
/// Spotlight service (mdssvc, `spotlight backend = elasticsearch`) uses, so
/// Finder searches on the share find samples by name, tempo, key, duration...
///
/// Only `POST /<index>/_search` is served (any index name); every other
/// route is a 404 and other methods a 405. Bodies are bounded; a query that
/// cannot be parsed is a 400 with Elasticsearch's error shape, never a crash.
/// Samba keeps one HTTP/1.1 connection open and sends requests in turn.
///
/// The search itself is `search`'s: loopweb asks loopd over its socket (`spotlight.search`), so the
/// listener lives in the process that may use the network. It throws `SpotlightQueryError` for a
/// query it refuses.
public final class SpotlightServer: Service {
    public typealias Search = @Sendable (SpotlightSearchRequest) async throws -> SpotlightResult
    public static let maxBodyBytes = 64 * 1024

    private let logger: Logger
    private let channel: any Channel

    /// Binds now, so a taken port stops the service at start with a clear error.
    public init(host: String, port: Int, logger: Logger, search: @escaping Search) async throws {
        self.logger = logger
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [logger] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(SpotlightRequestHandler(search: search, logger: logger))
                }
            }
        channel = try await bootstrap.bind(host: host, port: port).get()
    }

    /// The port bound (useful when 0 was asked for).
    public var port: Int { channel.localAddress?.port ?? 0 }

    /// Serves until the daemon stops, or the task is cancelled.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.serveUntilCancelled() }
    }

    /// Serves until cancelled.
    public func serveUntilCancelled() async {
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

/// One connection: collects a request (bounded), answers it, keeps the connection for the next.
final class SpotlightRequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let search: SpotlightServer.Search
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(search: @escaping SpotlightServer.Search, logger: Logger) {
        self.search = search
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request):
            head = request
            body.clear()
            tooLarge = false
        case var .body(chunk):
            if body.readableBytes + chunk.readableBytes > SpotlightServer.maxBodyBytes {
                tooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let request = head else { return }
            head = nil
            let bytes = Data(body.readableBytesView)
            let tooLarge = self.tooLarge
            let search = self.search, logger = self.logger
            let loop = context.eventLoop
            let boundContext = NIOLoopBound(context, eventLoop: loop)
            let keepAlive = request.isKeepAlive
            Task {
                let (status, json) = await Self.answer(request, body: bytes, tooLarge: tooLarge, search: search, logger: logger)
                loop.execute {
                    Self.respond(boundContext.value, status: status, json: json, keepAlive: keepAlive, version: request.version)
                }
            }
        }
    }

    private static func respond(_ context: ChannelHandlerContext, status: HTTPResponseStatus, json: Data, keepAlive: Bool, version: HTTPVersion) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
        headers.add(name: "Content-Length", value: String(json.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: json)))), promise: nil)
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    static func answer(_ request: HTTPRequestHead, body: Data, tooLarge: Bool, search: SpotlightServer.Search, logger: Logger) async -> (HTTPResponseStatus, Data) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        // "/<index>/_search": ["", index, "_search"].
        guard segments.count == 3, segments[0].isEmpty, !segments[1].isEmpty, segments[2] == "_search" else {
            return error(.notFound, "no_handler_found_exception", "This endpoint answers only POST /<index>/_search, not \(request.method) \(path).")
        }
        guard request.method == .POST else {
            return error(.methodNotAllowed, "method_not_allowed", "Use POST for /<index>/_search.")
        }
        guard !tooLarge else {
            return error(.payloadTooLarge, "content_too_long_exception", "A search body may be at most \(SpotlightServer.maxBodyBytes) bytes.")
        }
        let parsed: SpotlightSearchBody
        do {
            parsed = try JSONDecoder().decode(SpotlightSearchBody.self, from: body)
        } catch {
            return Self.error(.badRequest, "parsing_exception", "The body is not a search with query.query_string.query.")
        }
        let text = parsed.query.query_string.query
        let started = ContinuousClock.now
        do {
            let result = try await search(SpotlightSearchRequest(query: text, from: parsed.from ?? 0, size: parsed.size ?? 10))
            let took = Int((ContinuousClock.now - started).milliseconds)
            logger.debug("Spotlight search: \(result.total) matches in \(took) ms for \(text)")
            return (.ok, (try? JSONEncoder().encode(SpotlightSearchReply(total: result.total, paths: result.paths, milliseconds: took))) ?? Data())
        } catch let failure as SpotlightQueryError {
            logger.notice("Spotlight query refused: \(failure.description) (\(text))")
            return error(.badRequest, "query_shard_exception", failure.description)
        } catch {
            logger.error("Spotlight search failed: \(error)")
            return Self.error(.internalServerError, "search_phase_execution_exception", "The index could not be read.")
        }
    }

    static func error(_ status: HTTPResponseStatus, _ type: String, _ reason: String) -> (HTTPResponseStatus, Data) {
        let reply = SpotlightErrorReply(error: .init(type: type, reason: reason), status: Int(status.code))
        return (status, (try? JSONEncoder().encode(reply)) ?? Data())
    }
}
