import Foundation
import Logging
import LoopAPI
import LoopConfig
import LoopCore
import LoopIndex
import LoopViews
import ServiceLifecycle

/// Keeps each root's views folder and catalogue in step with the index.
///
/// It watches the index's change counter (an atomic read every 100 ms,
/// which keeps the writer free of subscribers), waits for 150 ms of quiet
/// (at most 1 s while changes keep coming), then publishes: the layout is
/// computed afresh and only the entries that differ are touched on disk.
actor ViewPublisher {
    private let config: ViewsConfig
    private let store: IndexStore
    private let roots: LibraryRoots
    private let logger: Logger
    /// With `.permissions`, each root's views list only what its share's users may read.
    private let visibility: FileVisibility
    private var writers: [String: ViewFolderWriter] = [:]
    private var publishedChange: UInt64?
    /// While changes keep coming, the catalogue (about a second per 100,000 files) is rewritten
    /// at most once per five times its cost (half a second at least); the last change is always written.
    private var catalogCost: Duration = .zero
    private var catalogInterval: Duration { max(.milliseconds(500), catalogCost * 5) }
    private var catalogWrittenAt: ContinuousClock.Instant?
    private var catalogPending = false
    /// What the last publish could not write (a read-only file system under a sandbox, say).
    private(set) var failures: [String] = []
    /// `waitUntilPublished` callers, each with the change count it waits for.
    private var waiters: [(through: UInt64, continuation: CheckedContinuation<Void, Never>)] = []

    init(config: ViewsConfig, store: IndexStore, roots: LibraryRoots, visibility: FileVisibility, logger: Logger) {
        self.visibility = visibility
        self.config = config
        self.store = store
        self.roots = roots
        self.logger = logger
    }

    /// Publishes whenever the index has changed, until cancelled.
    func publishUntilCancelled() async {
        while !Task.isCancelled {
            let change = store.changeCount
            let catalogDue = catalogPending && (catalogWrittenAt.map { ContinuousClock.now - $0 >= catalogInterval } ?? true)
            if change != publishedChange || catalogDue {
                await settle()
                do {
                    _ = try await publish()
                } catch {
                    logger.error("Cannot publish the views: \(error).")
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        // Stopping: nothing more will be published, so nobody may keep waiting.
        for waiter in waiters { waiter.continuation.resume() }
        waiters.removeAll()
    }

    /// Returns once the views and the catalogue show every change committed before the call
    /// (how a client or a test waits for them instead of watching the disk).
    func waitUntilPublished() async {
        let target = store.changeCount
        if let published = publishedChange, published >= target, !catalogPending { return }
        await withCheckedContinuation { waiters.append((target, $0)) }
    }

    private func resumeWaiters(through change: UInt64) {
        guard !catalogPending else { return }
        let ready = waiters.filter { $0.through <= change }
        waiters.removeAll { $0.through <= change }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Waits until the change counter has been still for 150 ms, or 1 s has passed.
    private func settle() async {
        let deadline = ContinuousClock.now + .seconds(1)
        var last = store.changeCount
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(150))
            let now = store.changeCount
            if now == last { return }
            last = now
        }
    }

    /// Who reads a root's views over its share: members of the root folder's group, and
    /// anyone where the modes let everyone in. Nil when every file is listed.
    private func shareReaders(of root: String) -> ReadPermission? {
        guard visibility == .permissions else { return nil }
        var info = stat()
        guard stat(root, &info) == 0 else { return ReadPermission(.anyone) }
        return ReadPermission(.group(info.st_gid))
    }

    /// Publishes now; with `fromScratch`, every views folder is deleted and made again.
    func publish(fromScratch: Bool = false) async throws -> ViewsReport {
        let started = ContinuousClock.now
        let change = store.changeCount
        let searches = config.searches.sorted { $0.key < $1.key }.map { SavedView(name: $0.key, query: $0.value) }
        let writeCatalog = fromScratch || catalogWrittenAt.map { ContinuousClock.now - $0 >= catalogInterval } ?? true
        // Waveforms are read only for the catalogue.
        let source = try await store.viewSource(configuredSearches: searches, overviewPoints: writeCatalog ? 48 : 0)
        catalogPending = !writeCatalog
        var report = ViewsReport(files: source.files.count)
        for root in roots.paths where !roots.missingRoots.contains(root) {
            let folder = (root == "/" ? "" : root) + "/" + config.folder
            let writer = writers[root] ?? ViewFolderWriter(folder: folder, kind: config.links)
            writers[root] = writer
            if fromScratch { writer.reset() }
            var own = source
            own.files = source.files.filter { $0.root == root }
            if let readers = shareReaders(of: root) { own.files.removeAll { !readers.mayRead($0.path) } }
            let entries = ViewLayout.entries(own)
            let outcome = writer.publish(entries)
            report.entries += entries.count
            report.added += outcome.added
            report.removed += outcome.removed
            report.failures += outcome.failures
            if writeCatalog {
                let started = ContinuousClock.now
                if let failure = CatalogWriter.write(own.files, root: root, into: folder) { report.failures.append(failure) }
                catalogCost = ContinuousClock.now - started
            }
        }
        if writeCatalog { catalogWrittenAt = .now }
        failures = report.failures
        publishedChange = change
        resumeWaiters(through: change)
        report.milliseconds = (ContinuousClock.now - started).milliseconds
        for failure in report.failures.prefix(5) { logger.warning("\(failure)") }
        if report.added + report.removed > 0 {
            logger.debug("Views: \(report.added) entries added, \(report.removed) removed, \(report.entries) in all, in \(Int(report.milliseconds)) ms.")
        }
        return report
    }
}

extension ViewPublisher: Service {
    /// Publishes until the daemon stops.
    nonisolated func run() async throws {
        await cancelWhenGracefulShutdown { await self.publishUntilCancelled() }
    }
}
