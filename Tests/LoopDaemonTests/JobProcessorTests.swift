import Foundation
import Logging
import LoopAnalysis
import LoopCore
@testable import LoopDaemon
import LoopIndex
import LoopTestSupport
import LoopWatch
import Synchronization
import Testing

/// What an analysis gives, decided by the test; it may also change the file while "reading" it.
final class ScriptedAnalyzer: FileAnalyzing {
    private let script: @Sendable (String) -> FileAnalysisOutcome
    private let callCount = Atomic<Int>(0)

    init(_ script: @escaping @Sendable (String) -> FileAnalysisOutcome) { self.script = script }

    var calls: Int { callCount.load(ordering: .relaxed) }

    func analyze(path: String) -> FileAnalysisOutcome {
        callCount.add(1, ordering: .relaxed)
        return script(path)
    }
}

/// The job processor's decision for each kind of file it meets, on real files and a real index.
@Suite struct JobProcessorTests {
    let folder = TemporaryDirectory("jobs")
    var library: String { folder.path + "/lib" }
    static let decoded = FileAnalysisOutcome(
        hash: String(repeating: "ab", count: 32), audio: AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 16, frames: 44100), error: nil
    )
    let queue = ChangeQueue()

    func processor(_ analyzer: ScriptedAnalyzer, store: IndexStore, settle: Duration = .seconds(5)) -> JobProcessor {
        JobProcessor(
            store: store, roots: LibraryRoots([library]), analyzer: analyzer, logger: Logger(label: "test"), settleWindow: settle, symlinks: SymlinkPolicy()
        )
    }

    func makeStore() throws -> IndexStore { try IndexStore(path: folder.path + "/index.sqlite") }

    func write(_ relative: String, bytes: Int = 100) throws -> String {
        let path = folder.file("lib/" + relative)
        try Data(repeating: 1, count: bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Makes the file look written an hour ago.
    func age(_ path: String) {
        var times = [timespec(tv_sec: time(nil) - 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    func job(_ path: String, _ work: Work) throws -> Job {
        _ = queue.enqueue(path, work)
        let job = try #require(queue.take())
        // Finished at once: the next job for the same path may be taken.
        queue.finish(job)
        return job
    }

    func stored(_ path: String, outcome: FileAnalysisOutcome = JobProcessorTests.decoded) throws -> AnalysedFile {
        let stat = try #require(SymlinkPolicy().stat(path))
        return AnalysedFile(path: path, root: library, stat: stat, analysisVersion: FileAnalyzer.versionTag, hash: outcome.hash, error: outcome.error, audio: outcome.audio)
    }

    @Test func aNewFileIsAnalysedAndStored() throws {
        let path = try write("Kick.wav")
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        let outcome = processor(analyzer, store: try makeStore()).process(try job(path, .check))
        #expect(outcome == .operations([.store(try stored(path))]))
        #expect(analyzer.calls == 1)
    }

    @Test func anUnchangedFileIsNotAnalysedAgain() throws {
        let path = try write("Kick.wav")
        let store = try makeStore()
        try store.apply([.store(try stored(path))])
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        #expect(processor(analyzer, store: store).process(try job(path, .check)) == .operations([]))
        #expect(analyzer.calls == 0)
        // Back from offline, unchanged: only marked online.
        try store.apply([.setOffline(paths: [path])])
        #expect(processor(analyzer, store: store).process(try job(path, .check)) == .operations([.setOnline(path: path)]))
        #expect(analyzer.calls == 0)
    }

    @Test func aRenamedFileKeepsItsRowWithoutAnalysis() throws {
        let old = try write("Old name.wav")
        let store = try makeStore()
        try store.apply([.store(try stored(old))])
        let new = folder.file("lib/New name.wav")
        #expect(rename(old, new) == 0)
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        let outcome = processor(analyzer, store: store).process(try job(new, .move(from: old)))
        #expect(outcome == .operations([.move(from: old, to: new, root: library)]))
        #expect(analyzer.calls == 0)
    }

    @Test func aFileMovedWhileUnwatchedClaimsItsRowByInode() throws {
        let old = try write("Before/Loop.wav")
        let store = try makeStore()
        try store.apply([.store(try stored(old))])
        let new = folder.file("lib/After/Loop.wav")
        #expect(rename(old, new) == 0)
        try store.apply([.setOffline(paths: [old])])
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        let outcome = processor(analyzer, store: store).process(try job(new, .check))
        #expect(outcome == .operations([.move(from: old, to: new, root: library)]))
        #expect(analyzer.calls == 0)
    }

    @Test func aCopiedAndDeletedFileClaimsItsRowByContent() throws {
        let old = try write("Before/Pad.wav")
        let store = try makeStore()
        try store.apply([.store(try stored(old))])
        try store.apply([.setOffline(paths: [old])])
        // A copy has a new inode; only its bytes (its hash) say it is the same file.
        let new = try write("After/Pad.wav", bytes: 200)
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        let outcome = processor(analyzer, store: store).process(try job(new, .check))
        #expect(outcome == .operations([.move(from: old, to: new, root: library), .store(try stored(new))]))
        #expect(analyzer.calls == 1)
    }

    @Test func aFileChangedDuringAnalysisIsLookedAtAgainOnceQuiet() throws {
        let path = try write("Growing.wav")
        let analyzer = ScriptedAnalyzer { path in
            // More bytes arrive while the analysis reads the file.
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile()
                handle.write(Data([2, 3, 4]))
                handle.closeFile()
            }
            return Self.decoded
        }
        let outcome = processor(analyzer, store: try makeStore(), settle: .milliseconds(300)).process(try job(path, .check))
        #expect(outcome == .retry(.settle, after: .milliseconds(300)))
    }

    @Test func anIncompleteFileWaitsOnlyWhileItIsFresh() throws {
        var partial = Self.decoded
        partial.incomplete = true
        partial.error = "The file holds less audio than its header declares."
        let incomplete = partial
        let analyzer = ScriptedAnalyzer { _ in incomplete }
        let fresh = try write("Fresh.wav")
        #expect(processor(analyzer, store: try makeStore()).process(try job(fresh, .check)) == .retry(.settle, after: .seconds(5)))
        // Written long ago: it is what it is, stored with its error.
        let old = try write("Old.wav")
        age(old)
        #expect(processor(analyzer, store: try makeStore()).process(try job(old, .check)) == .operations([.store(try stored(old, outcome: incomplete))]))
    }

    @Test func aFileStillBeingWrittenSettlesFirst() throws {
        let path = try write("Arriving.wav")
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        #expect(processor(analyzer, store: try makeStore()).process(try job(path, .settle)) == .retry(.settle, after: .seconds(5)))
        #expect(analyzer.calls == 0)
    }

    @Test func noAnalysisIsARetryNotAFact() throws {
        let path = try write("Kick.wav")
        let analyzer = ScriptedAnalyzer { _ in FileAnalysisOutcome(hash: nil, audio: nil, error: nil, notAnalysed: true) }
        let processor = processor(analyzer, store: try makeStore())
        #expect(processor.process(try job(path, .check)) == .retry(.check, after: JobProcessor.unavailableRetryDelay))
        #expect(processor.process(try job(path, .move(from: library + "/Before.wav"))) == .retry(.move(from: library + "/Before.wav"), after: JobProcessor.unavailableRetryDelay))
    }

    @Test func aFileThatIsGoneIsRemoved() throws {
        let analyzer = ScriptedAnalyzer { _ in Self.decoded }
        let processor = processor(analyzer, store: try makeStore())
        let gone = library + "/Gone.wav"
        #expect(processor.process(try job(gone, .check)) == .operations([.remove(path: gone)]))
        #expect(processor.process(try job(gone, .move(from: library + "/Was.wav"))) == .operations([.remove(path: library + "/Was.wav"), .remove(path: gone)]))
        #expect(processor.process(try job(folder.path + "/outside.wav", .check)) == .operations([.remove(path: folder.path + "/outside.wav")]), "outside every root")
    }
}
