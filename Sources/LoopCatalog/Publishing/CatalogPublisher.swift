import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopRPCNIO
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes this host's records to the shared catalogue, from loopd's numbered change log: it
/// subscribes after the sequence the catalogue last took, reads the changed records, and writes
/// them with that sequence in one transaction. loopd's log is the durable outbox, the catalogue's
/// sequence the acknowledgement, so an outage of either side (or a kill mid-write) resumes where
/// the catalogue stands, losing and doubling nothing. When loopd no longer keeps the changes
/// needed, the host's records are copied whole and what the copy did not see is swept.
public struct CatalogPublisher: Service {
    let store: CatalogStore
    let socketPath: String
    let heartbeat: Duration
    let logger: Logger
    public let progress: CatalogProgress

    /// Records asked of loopd per call: well under its line limit at about a kilobyte each.
    public static let recordsPerCall = 500
    public static let replyLineBytes = 16 << 20

    public init(store: CatalogStore, socketPath: String, heartbeat: Duration, logger: Logger, progress: CatalogProgress = CatalogProgress()) {
        self.store = store
        self.socketPath = socketPath
        self.heartbeat = heartbeat
        self.logger = logger
        self.progress = progress
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await keepPublishing() }
                group.addTask { try await keepBeating() }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Publishes until cancelled; after a failure (PostgreSQL or loopd away) it tries again, waiting
    /// up to 5 s between tries, and says once that it waits and once that it is back.
    func keepPublishing() async throws {
        var pause = Duration.milliseconds(200)
        var failing = false
        while !Task.isCancelled {
            do {
                try await publish {
                    pause = .milliseconds(200)
                    if failing { logger.info("Publishing to the catalogue again, from change \(progress.sequence).") }
                    failing = false
                    progress.failure(nil)
                }
            } catch {
                if Task.isCancelled { return }
                if !failing { logger.warning("The catalogue is not being updated; trying again: \(CatalogError.reason(error))") }
                failing = true
                progress.failure(CatalogError.reason(error))
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }

    func keepBeating() async throws {
        while !Task.isCancelled {
            // A failed beat is not reported: publishing reports the same outage.
            try? await store.heartbeat()
            try await Task.sleep(for: heartbeat)
        }
    }

    /// One session: opens the catalogue, follows loopd's changes, and returns only by throwing.
    func publish(connected: () -> Void) async throws {
        let state = try await store.open()
        try await AsyncRPCConnection.with(socketPath: socketPath, maxLineBytes: Self.replyLineBytes) { reader in
            try await AsyncRPCConnection.with(socketPath: socketPath) { feed in
                let reply = try await feed.call(LoopMethod.subscribe, SubscribeRequest(after: state.publishedSequence))
                var generation = state.loadGeneration
                progress.published(through: state.publishedSequence)
                if !reply.resumed {
                    generation = try await copyWhole(through: reply.sequence, reader: &reader)
                }
                connected()
                // One batch is written while the next is read from loopd: at most one write is in
                // flight, so the catalogue's sequence still moves in order.
                try await withThrowingTaskGroup(of: Void.self) { writes in
                    while let line = try await feed.nextLine() {
                        switch LibraryNotification.message(from: line) {
                        case let .changed(changes):
                            guard let batch = try await read(changes, reader: &reader) else { continue }
                            try await writes.next()
                            writes.addTask { [generation] in try await write(batch, generation: generation) }
                        case let .resync(sequence):
                            try await writes.waitForAll()
                            generation = try await copyWhole(through: sequence, reader: &reader)
                        case .idle, nil:
                            try await writes.next()
                        }
                    }
                }
                throw RPCClientError.connectionLost(reason: "loopd closed the connection")
            }
        }
    }

    /// One notification's changes, read and ready to write.
    struct Batch: Sendable {
        var records: [SampleRecord]
        var removed: [Int64]
        var through: Int64
    }

    /// Reads the records one notification's changes need: the last change to each file decides (a
    /// file added then removed is removed); a file loopd no longer has is removed.
    func read(_ changes: [LibraryChange], reader: inout AsyncRPCConnection) async throws -> Batch? {
        guard let through = changes.last?.sequence else { return nil }
        var final: [Int64: LibraryChange.Kind] = [:]
        for change in changes { final[change.id] = change.kind }
        let removed = final.filter { $0.value == .removed }.map(\.key)
        let wanted = final.filter { $0.value != .removed }.map(\.key).sorted()
        var records: [SampleRecord] = []
        for start in stride(from: 0, to: wanted.count, by: Self.recordsPerCall) {
            let ids = Array(wanted[start..<min(start + Self.recordsPerCall, wanted.count)])
            records += try await reader.call(LoopMethod.records, RecordsRequest(ids: ids)).records
        }
        let found = Set(records.map(\.id))
        return Batch(records: records, removed: removed + wanted.filter { !found.contains($0) }, through: through)
    }

    func write(_ batch: Batch, generation: Int64) async throws {
        try await store.apply(upserting: batch.records, removing: batch.removed, generation: generation, through: batch.through)
        progress.published(through: batch.through, records: batch.records.count + batch.removed.count)
    }

    /// Copies every record of the host, then sweeps the rows the copy did not write.
    func copyWhole(through sequence: Int64, reader: inout AsyncRPCConnection) async throws -> Int64 {
        let generation = try await store.beginFullCopy()
        logger.info("Copying this host's records to the catalogue whole (loopd no longer keeps the changes since it last published).")
        var copied = 0
        var page = try await reader.call(LoopMethod.records, RecordsRequest(after: 0, limit: Self.recordsPerCall))
        while true {
            // The next page is read from loopd while this one is written: the two take about as long.
            let records = page.records
            async let written: Void = store.apply(upserting: records, removing: [], generation: generation, through: nil)
            var following: RecordsPage?
            if let next = page.next {
                following = try await reader.call(LoopMethod.records, RecordsRequest(after: next, limit: Self.recordsPerCall))
            }
            try await written
            copied += records.count
            progress.published(through: nil, records: records.count)
            guard let following else { break }
            page = following
        }
        let swept = try await store.finishFullCopy(generation: generation, through: sequence)
        progress.published(through: sequence)
        logger.info("Copied \(copied) records to the catalogue; \(swept) that are gone were removed.")
        return generation
    }
}

/// Where publishing stands, for loopweb's health reply and the benchmark.
public final class CatalogProgress: Sendable {
    private struct State {
        var sequence: Int64 = 0
        var records = 0
        var failure: String? = "the catalogue has not been reached yet"
    }

    private let state = Mutex(State())

    public init() {}

    /// The last change of loopd's the catalogue holds.
    public var sequence: Int64 { state.withLock { $0.sequence } }
    /// Records written (or removed) since start.
    public var records: Int { state.withLock { $0.records } }
    /// Why the catalogue is not being updated now; nil while it is.
    public var failureReason: String? { state.withLock { $0.failure } }

    func published(through sequence: Int64?, records: Int = 0) {
        state.withLock { state in
            if let sequence { state.sequence = sequence }
            state.records += records
        }
    }

    func failure(_ reason: String?) {
        state.withLock { $0.failure = reason }
    }
}
