import Foundation
import LoopAnalysis
import LoopAPI
import LoopConfig
import LoopCore
import LoopIndex
import LoopRPC
import LoopWatch

/// The JSON-RPC methods, each a thin translation to the index or the pipeline.
struct DaemonMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.status) { _, _ in try await status() }
        dispatcher.register(LoopMethod.find) { params, context in try await find(params, access.caller(context)) }
        dispatcher.register(LoopMethod.similar) { params, context in try await similar(params, access.caller(context)) }
        dispatcher.register(LoopMethod.dupes) { _, context in try await dupes(access.caller(context)) }
        dispatcher.register(LoopMethod.search) { params, context in try await search(params, access.caller(context)) }
        dispatcher.register(LoopMethod.get) { params, context in try await record(params, access.caller(context), annotated: true) }
        dispatcher.register(LoopMethod.records) { params, context in try await records(params, access.caller(context)) }
        dispatcher.register(LoopMethod.waveform) { params, context in try await waveform(params, access.caller(context)) }
        dispatcher.register(LoopMethod.peaks) { params, context in try await peaks(params, access.caller(context)) }
        dispatcher.register(LoopMethod.rescan) { params, _ in try await rescan(params) }
        dispatcher.register(LoopMethod.sync) { _, _ in
            let reply = try await daemon.sync.sync()
            // What is indexed is then searchable at full speed too: the in-memory search columns are in
            // (until then `find` runs in SQL, several times slower at a million rows).
            await daemon.store.waitUntilSearchColumnsLoaded()
            return reply
        }
        dispatcher.register(LoopMethod.spotlightSearch) { params, context in try await spotlight(params, access.caller(context)) }
    }

    /// Samba's Spotlight search, for loopweb's endpoint; a caller is shown the paths it may read.
    private func spotlight(_ request: SpotlightSearchRequest, _ caller: Caller) async throws -> SpotlightResult {
        var result: SpotlightResult
        do {
            result = try await daemon.store.spotlight(request)
        } catch let error as SpotlightQueryError {
            throw RPCError(.invalidQuery, error.description)
        } catch {
            throw IndexErrors.rpcError(for: error)
        }
        if let permission = caller.readPermission() { result.paths.removeAll { !permission.mayRead($0) } }
        return result
    }

    private func status() async throws -> StatusReport {
        let totals = try await IndexErrors.mapped { try await daemon.store.totals() }
        let missing = daemon.roots.missingRoots
        return StatusReport(
            version: LoopdVersion.current, pid: getpid(),
            uptimeSeconds: Date().timeIntervalSince(daemon.startedAt),
            roots: daemon.roots.paths.sorted().map { StatusReport.Root(path: $0, state: missing.contains($0) ? "missing" : "online") },
            files: totals.files, errors: totals.errors, offlineFiles: totals.offline, overflows: daemon.overflow.count,
            audioSeconds: totals.audioSeconds, bytes: totals.bytes,
            pending: daemon.queue.pendingCount, inFlight: daemon.queue.inFlightCount,
            scanning: daemon.scanner.isScanning, syncsWaiting: daemon.sync.waitingCount, analyzedSinceStart: daemon.writer.stored,
            watches: daemon.watcher.watchCount, unwatchedFolders: daemon.watcher.unwatchedDirectories.count,
            unreadableFolders: daemon.watcher.unreadableDirectories.sorted { $0.key < $1.key }.map { "Cannot read \($0.key): \($0.value)." },
            watchFailures: daemon.watcher.failures.map(\.description),
            workers: daemon.config.workers, database: daemon.config.databasePath, socket: daemon.config.socketPath,
            storageError: daemon.writer.storageFailure,
            viewsFailures: await daemon.views?.failures
        )
    }

    // What a caller learns follows what they may read on disk (`Caller.readPermission`):
    // files they cannot read are left out of lists and are "no such file" when named.

    private func find(_ request: FindRequest, _ caller: Caller) async throws -> FindResult {
        guard (1...FindRequest.maxLimit).contains(request.limit) else {
            throw RPCError(.invalidParams, "Invalid params: 'limit' must be between 1 and \(FindRequest.maxLimit).")
        }
        var result = try await IndexErrors.mapped { try await daemon.store.find(request, uid: caller.uid) }
        // The cursor stays the unfiltered page's, so paging neither repeats nor skips a row.
        if let permission = caller.readPermission() { result.records.removeAll { !permission.mayRead($0.path) } }
        return result
    }

    private func similar(_ request: SimilarRequest, _ caller: Caller) async throws -> [SimilarMatch] {
        guard (1...1000).contains(request.limit) else { throw RPCError(.invalidParams, "Invalid params: 'limit' must be between 1 and 1000.") }
        let target = try await record(FileReference(id: request.id, path: request.path), caller)
        guard var matches = try await IndexErrors.mapped({ try await daemon.store.similar(to: target.id, where: request.where, limit: request.limit, uid: caller.uid) }) else {
            throw RPCError(.noSuchFile, "No sound to compare: \(target.path) has no similarity vector (silent, or not decoded).")
        }
        if let permission = caller.readPermission() { matches.removeAll { !permission.mayRead($0.record.path) } }
        return matches
    }

    private func records(_ request: RecordsRequest, _ caller: Caller) async throws -> RecordsPage {
        let limit = RecordsRequest.maxRecords
        var page: RecordsPage
        switch (request.ids, request.after) {
        case let (ids?, nil):
            guard ids.count <= limit else { throw RPCError(.invalidParams, "Invalid params: at most \(limit) 'ids' at once.") }
            page = RecordsPage(records: try await IndexErrors.mapped { try await daemon.store.records(ids: ids) }, next: nil)
        case let (nil, after?):
            let size = request.limit ?? limit
            guard (1...limit).contains(size) else { throw RPCError(.invalidParams, "Invalid params: 'limit' must be between 1 and \(limit).") }
            guard after >= 0 else { throw RPCError(.invalidParams, "Invalid params: 'after' must not be negative.") }
            let (records, last) = try await IndexErrors.mapped { try await daemon.store.records(after: after, limit: size) }
            page = RecordsPage(records: records, next: last)
        default:
            throw RPCError(.invalidParams, "Invalid params: give either 'ids' or 'after'.")
        }
        if let permission = caller.readPermission() { page.records.removeAll { !permission.mayRead($0.path) } }
        return page
    }

    private func dupes(_ caller: Caller) async throws -> DuplicatesReport {
        let report = try await IndexErrors.mapped { try await daemon.store.duplicates() }
        guard let permission = caller.readPermission() else { return report }
        let groups = report.groups.compactMap { group -> DuplicateGroup? in
            var group = group
            group.records.removeAll { !permission.mayRead($0.path) }
            return group.records.count > 1 ? group : nil
        }
        return DuplicatesReport(groups: groups)
    }

    private func search(_ query: SearchQuery, _ caller: Caller) async throws -> [SampleRecord] {
        if let limit = query.limit, limit < 0 { throw RPCError(.invalidParams, "Invalid params: 'limit' must not be negative.") }
        if query.offset < 0 { throw RPCError(.invalidParams, "Invalid params: 'offset' must not be negative.") }
        var records = try await IndexErrors.mapped { try await daemon.store.search(query) }
        if let permission = caller.readPermission() { records.removeAll { !permission.mayRead($0.path) } }
        return records
    }

    /// The record `reference` names, if the caller may read the file; `annotated` adds the
    /// caller's own data (favourite), which only `get` needs.
    private func record(_ reference: FileReference, _ caller: Caller, annotated: Bool = false) async throws -> SampleRecord {
        let record = try await indexedRecord(reference, uid: annotated ? caller.uid : nil)
        if let permission = caller.readPermission(), !permission.mayRead(record.path) {
            // The same answer as for a file never indexed: its existence is not the caller's to learn.
            throw RPCError(.noSuchFile, reference.id.map { "No such file: no indexed file has id \($0)." } ?? "No such file: \(record.path) is not in the index.")
        }
        return record
    }

    private func indexedRecord(_ reference: FileReference, uid: UInt32?) async throws -> SampleRecord {
        let record: SampleRecord?
        if let id = reference.id {
            record = try await IndexErrors.mapped { try await daemon.store.record(id: id, uid: uid) }
            guard let record else { throw RPCError(.noSuchFile, "No such file: no indexed file has id \(id).") }
            return record
        }
        if let hash = reference.hash, reference.path == nil {
            guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else {
                throw RPCError(.invalidParams, "Invalid params: 'hash' must be a SHA-256 in 64 hex digits.")
            }
            record = try await IndexErrors.mapped { try await daemon.store.record(hash: hash, uid: uid) }
            guard let record else { throw RPCError(.noSuchFile, "No such file: no file on disk has that content.") }
            return record
        }
        guard let path = reference.path else {
            throw RPCError(.invalidParams, "Invalid params: give 'id', 'path' or 'hash'.")
        }
        guard path.hasPrefix("/") else { throw RPCError(.invalidParams, "Invalid params: 'path' must be absolute.") }
        guard daemon.roots.root(containing: path) != nil else {
            throw RPCError(.outsideLibrary, "Outside the library: \(path) is not inside any library root.")
        }
        record = try await IndexErrors.mapped { try await daemon.store.record(path: path, uid: uid) }
        guard let record else { throw RPCError(.noSuchFile, "No such file: \(path) is not in the index.") }
        return record
    }

    private func waveform(_ reference: FileReference, _ caller: Caller) async throws -> WaveformReply {
        let record = try await record(reference, caller)
        guard let waveform = try await IndexErrors.mapped({ try await daemon.store.waveform(fileID: record.id) }) else {
            throw RPCError(.noSuchFile, "No waveform: \(record.path) could not be decoded\(record.error.map { " (\($0))" } ?? "").")
        }
        return WaveformReply(id: record.id, path: record.path, waveform: waveform)
    }

    private func peaks(_ params: PeaksParams, _ caller: Caller) async throws -> PeaksReply {
        let fine = WaveformPeaksAnalyzer.samplesPerPixel
        let wanted = params.samplesPerPixel ?? fine
        // Levels of the pyramid: the stored one times a power of two.
        guard wanted >= fine, wanted % fine == 0, (wanted / fine) & (wanted / fine - 1) == 0 else {
            throw RPCError(.invalidParams, "Invalid params: 'samplesPerPixel' must be \(fine) times a power of two (\(fine), \(fine * 2), \(fine * 4), ...).")
        }
        let record = try await record(params.file, caller)
        guard let peaks = try await IndexErrors.mapped({ try await daemon.store.peaks(fileID: record.id) }) else {
            throw RPCError(.noSuchFile, "No waveform: \(record.path) could not be decoded\(record.error.map { " (\($0))" } ?? "").")
        }
        return PeaksReply(id: record.id, path: record.path, peaks: peaks.coarsened(by: wanted / fine))
    }

    private func rescan(_ params: RescanParams) async throws -> RescanReply {
        if let path = params.path {
            guard path.hasPrefix("/") else { throw RPCError(.invalidParams, "Invalid params: 'path' must be absolute.") }
            guard daemon.roots.root(containing: path) != nil else {
                throw RPCError(.outsideLibrary, "Outside the library: \(path) is not inside any library root.")
            }
        }
        return await daemon.rescan(params.path)
    }
}

public enum LoopdVersion {
    public static let current = "0.1.0"
}
