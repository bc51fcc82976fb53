import LoopAnalysis
import LoopCore
import LoopIndex
import LoopWatch
import Logging

/// Turns one queued job into index operations: stats the file, skips it when
/// the index already holds this version, claims the row of a file that moved
/// while it was offline, and otherwise runs the analysis.
struct JobProcessor: Sendable {
    /// What a job produced.
    enum Outcome: Equatable {
        case operations([IndexOperation])
        /// Nothing stored now: queue this work again after `delay` (the file
        /// changed during analysis, or is still being written).
        case retry(Work, after: Duration?)
    }

    let store: IndexStore
    let roots: LibraryRoots
    let analyzer: any FileAnalyzing
    let logger: Logger
    /// How long a file waits when no analysis could run for it.
    static let unavailableRetryDelay: Duration = .seconds(5)
    /// A file modified more recently than this may still be being written.
    let settleWindow: Duration
    /// Which symbolic links lead to files to index.
    let symlinks: SymlinkPolicy

    func process(_ job: Job) -> Outcome {
        let path = job.path
        switch job.work {
        case .check:
            return check(path, movedFrom: nil, settling: false)
        case .settle:
            return check(path, movedFrom: nil, settling: true)
        case let .move(from):
            return check(path, movedFrom: from, settling: false)
        case .remove:
            return .operations([.remove(path: path)])
        case .removeTree:
            return .operations([.removeTree(directory: path)])
        case let .moveTree(from):
            guard let root = roots.root(containing: path) else { return .operations([.removeTree(directory: from)]) }
            return .operations([.moveTree(from: from, to: path, root: root)])
        case let .offline(paths):
            return .operations([.setOffline(paths: paths)])
        case let .purge(paths):
            return .operations([.purgeOffline(paths: paths)])
        case .rootOffline:
            return .operations([.setRootOffline(root: path)])
        }
    }

    private func check(_ path: String, movedFrom: String?, settling: Bool) -> Outcome {
        var operations: [IndexOperation] = []
        guard let root = roots.root(containing: path), let before = symlinks.stat(path), before.kind == .regular else {
            if let movedFrom { operations.append(.remove(path: movedFrom)) }
            return .operations(operations + [.remove(path: path)])
        }
        if settling && isRecent(before) {
            return .retry(.settle, after: settleWindow)
        }
        let version = FileAnalyzer.versionTag
        var stored: StoredFileState?
        do {
            if let movedFrom {
                // A rename keeps the row (and what users attached to it) by rewriting its path.
                operations.append(.move(from: movedFrom, to: path, root: root))
                stored = try store.state(ofPath: movedFrom)
            } else {
                stored = try store.state(ofPath: path)
                if stored == nil, let claimed = try store.offlineState(device: before.device, inode: before.inode) {
                    // The same inode under a new name: moved while loopd was not watching.
                    operations.append(.move(from: claimed.path, to: path, root: root))
                    stored = claimed
                }
            }
        } catch {
            logger.error("Could not read the index entry for \(path): \(error)", metadata: ["path": "\(path)", "error_code": "index-read"])
            stored = nil
        }
        if let stored, stored.isCurrent(for: before, analysisVersion: version) {
            if stored.offline && movedFrom == nil && operations.isEmpty { operations.append(.setOnline(path: path)) }
            return .operations(operations)
        }
        let outcome = analyzer.analyze(path: path)
        if outcome.notAnalysed {
            // The machine, not the file, failed (no worker could start): store nothing and come back.
            return .retry(movedFrom.map { .move(from: $0) } ?? .check, after: Self.unavailableRetryDelay)
        }
        guard let after = symlinks.stat(path), !after.differs(from: before) else {
            // It changed while being read: drop this result and look again once it is quiet.
            return .retry(.settle, after: settleWindow)
        }
        if outcome.incomplete && isRecent(after, within: settleWindow * 4) {
            // Shorter than its header says and written just now: still arriving. Look again once quiet.
            return .retry(.settle, after: settleWindow)
        }
        if stored == nil, let hash = outcome.hash, let claimed = try? store.offlineState(hash: hash) {
            // Same content as a row whose file vanished: moved (copied and deleted) while offline.
            operations.append(.move(from: claimed.path, to: path, root: root))
        }
        let file = AnalysedFile(path: path, root: root, stat: before, analysisVersion: version, hash: outcome.hash, error: outcome.error, audio: outcome.audio)
        if let error = outcome.error {
            logger.notice("\(path): \(error)", metadata: ["path": "\(path)", "root": "\(root)", "analyzer": "decode", "error_code": "analysis-failed"])
        }
        operations.append(.store(file))
        return .operations(operations)
    }

    /// Modified within the window. A modification time in the future (clock skew) counts as settled.
    private func isRecent(_ stat: FileStat, within window: Duration? = nil) -> Bool {
        let age = stat.age
        return age >= .zero && age < (window ?? settleWindow)
    }
}
