import LoopAnalysis
import LoopCore
import LoopIndex
import LoopWatch
import Logging

/// Turns one queued job into index operations: stats the file, skips it when
/// the index already holds this version, and otherwise runs the analysis.
struct JobProcessor: Sendable {
    /// What a job produced.
    enum Outcome {
        case operations([IndexOperation])
        /// The file changed while it was analysed; the result was dropped and the file queued again.
        case retry
    }

    let store: IndexStore
    let roots: LibraryRoots
    let analyzer: FileAnalyzer
    let logger: Logger

    func process(_ job: Job) -> Outcome {
        let path = job.path
        switch job.work {
        case .check:
            return check(path, movedFrom: nil)
        case let .move(from):
            return check(path, movedFrom: from)
        case .remove:
            return .operations([.remove(path: path)])
        case .removeTree:
            return .operations([.removeTree(directory: path)])
        case let .moveTree(from):
            guard let root = roots.root(containing: path) else { return .operations([.removeTree(directory: from)]) }
            return .operations([.moveTree(from: from, to: path, root: root)])
        }
    }

    private func check(_ path: String, movedFrom: String?) -> Outcome {
        var operations: [IndexOperation] = []
        guard let root = roots.root(containing: path), let before = FileStat.of(path), before.kind == .regular else {
            if let movedFrom { operations.append(.remove(path: movedFrom)) }
            return .operations(operations + [.remove(path: path)])
        }
        let version = FileAnalyzer.versionTag
        let stored: StoredFileState?
        do {
            if let movedFrom {
                // A rename keeps the row (and what users attached to it) by rewriting its path.
                operations.append(.move(from: movedFrom, to: path, root: root))
                stored = try store.state(ofPath: movedFrom)
            } else {
                stored = try store.state(ofPath: path)
            }
        } catch {
            logger.error("Could not read the index entry for \(path): \(error)")
            stored = nil
        }
        if let stored, stored.isCurrent(for: before, analysisVersion: version) {
            return .operations(operations)
        }
        let outcome = analyzer.analyze(path: path)
        guard let after = FileStat.of(path), !after.differs(from: before) else {
            return .retry
        }
        var file = AnalysedFile(path: path, root: root, stat: before, analysisVersion: version)
        file.hash = outcome.hash
        file.error = outcome.error
        if let audio = outcome.audio {
            file.format = audio.format
            file.sampleRate = audio.sampleRate
            file.channels = audio.channels
            file.bitDepth = audio.bitDepth
            file.frames = audio.frames
            file.duration = audio.duration
            file.peakDb = audio.peakDb
            file.rmsDb = audio.rmsDb
            file.waveform = audio.waveform
        }
        if let error = outcome.error { logger.notice("\(path): \(error)") }
        operations.append(.store(file))
        return .operations(operations)
    }
}
