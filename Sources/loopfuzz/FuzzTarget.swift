import Foundation
import LoopAnalysis
import LoopCore
import LoopRPC

/// What the fuzzers feed: each target takes arbitrary bytes and must neither
/// crash nor trap, whatever they hold (any other failure is a thrown error,
/// which is fine). `.ci/fuzz` builds them with libFuzzer and runs each.
enum FuzzTarget: String, CaseIterable {
    /// The query language parser (`loopctl search`, `find`).
    case query
    /// The Spotlight (Elasticsearch query_string) parser.
    case spotlight
    /// A file's bytes through decoding, the ID3 and chunk readers and every analyzer;
    /// the outcome must be sendable by a worker (JSON has no NaN).
    case audio
    /// One JSON-RPC line through the dispatcher: parsing, batches, ids, params.
    case rpc

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .query:
            _ = try? LibraryQueryParser().parse(String(decoding: bytes, as: UTF8.self))
            _ = NumericRange(parsing: String(decoding: bytes, as: UTF8.self))
        case .spotlight:
            _ = (try? SpotlightQueryParser().parse(String(decoding: bytes, as: UTF8.self)))?.scope
        case .audio:
            AudioInput.shared.analyse(bytes)
        case .rpc:
            RPCInput.shared.handle(Data(bytes))
        }
    }
}

/// One temporary file rewritten per input: libsndfile and the ID3 locator read paths.
final class AudioInput: @unchecked Sendable {
    static let shared = AudioInput()
    private let folder = NSTemporaryDirectory() + "loopfuzz-\(getpid())"
    private let analyzer = FileAnalyzer()

    private init() {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func analyse(_ bytes: UnsafeBufferPointer<UInt8>) {
        // The first byte picks the name's extension, as the daemon's extension list would.
        let extensions = ["wav", "aif", "flac", "ogg", "mp3"]
        let path = folder + "/input." + extensions[Int(bytes.first ?? 0) % extensions.count]
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes.dropFirst())) else { return }
        let outcome = analyzer.analyze(path: path)
        if (try? JSONEncoder().encode(outcome)) == nil {
            fatalError("The outcome cannot be sent by a worker (a value JSON cannot hold): \(outcome)")
        }
    }
}

/// A dispatcher with methods of each kind of result, fed one line at a time.
final class RPCInput: @unchecked Sendable {
    static let shared = RPCInput()
    private let dispatcher: RPCDispatcher

    private struct Word: Codable, Sendable { var word: String }

    private init() {
        var limits = RequestLimits()
        limits.batchCalls = 16
        limits.replyBytes = 1 << 16
        var dispatcher = RPCDispatcher(limits: limits)
        dispatcher.register("echo") { params, _ in try params.decode(Word.self) }
        dispatcher.register("fail") { _, _ in throw RPCError(.invalidParams, "Invalid params: always.") }
        dispatcher.register("status") { _, _ in ["ok": true] }
        self.dispatcher = dispatcher
    }

    func handle(_ message: Data) {
        let done = DispatchSemaphore(value: 0)
        let dispatcher = dispatcher
        Task {
            if let reply = await dispatcher.handle(message: message, context: RPCContext()),
               (try? JSONSerialization.jsonObject(with: reply, options: [.fragmentsAllowed])) == nil {
                fatalError("The reply is not JSON: \(String(decoding: reply, as: UTF8.self))")
            }
            done.signal()
        }
        done.wait()
    }
}
