#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAnalysis
import LoopCore
import LoopFiles
import Logging
import Synchronization

/// Analyses files in worker processes, so a decoder that crashes or hangs on
/// a malformed file costs that file, not the daemon.
///
/// Each call borrows an idle worker (starting one when none is idle). A
/// worker that dies or misses its deadline is killed and replaced, and the
/// file is tried once more on a fresh worker; if that fails too, the file is
/// quarantined: stored with an error that says so (and its hash), and not
/// tried again until it changes.
final class IsolatedAnalyzer: FileAnalyzing {
    private let executable: String
    private let logger: Logger
    private let idle = Mutex<[AnalysisWorkerProcess]>([])
    private let closed = Atomic<Bool>(false)

    private let baseDeadline: Duration

    /// The time a file may take: the configured base, and more for bigger files.
    func deadline(forBytes bytes: Int64) -> Duration {
        baseDeadline + .milliseconds(bytes / 2_000)
    }

    init(executable: String, deadline: Duration, logger: Logger) {
        self.executable = executable
        baseDeadline = deadline
        self.logger = logger
        // A worker that dies leaves a broken pipe; writing to it must fail, not kill the daemon.
        signal(SIGPIPE, SIG_IGN)
    }

    func analyze(path: String) -> FileAnalysisOutcome {
        let size = FileStat.of(path)?.size ?? 0
        var failures: [AnalysisWorkerProcess.Failure] = []
        for _ in 0..<2 {
            let worker: AnalysisWorkerProcess
            do {
                worker = try borrow()
            } catch {
                logger.error("The analysis worker could not be started: \(error); \(path) is tried again later.",
                             metadata: ["path": "\(path)", "analyzer": "worker", "error_code": "worker-start"])
                return FileAnalysisOutcome(hash: nil, audio: nil, error: "The analysis worker could not be started: \(error).", notAnalysed: true)
            }
            do {
                let outcome = try worker.analyze(path: path, deadline: .now + deadline(forBytes: size))
                giveBack(worker)
                return outcome
            } catch {
                worker.kill()
                failures.append(error)
                logger.warning("The analysis worker \(error == .hung ? "hung" : "died") on \(path); it was replaced.",
                               metadata: ["path": "\(path)", "analyzer": "worker", "error_code": error == .hung ? "worker-hung" : "worker-died"])
            }
        }
        let reason = failures.allSatisfy { $0 == .hung } ? "hung" : "crashed"
        logger.error("Quarantined \(path): decoding it \(reason) the analysis worker twice; it is not tried again until it changes.",
                     metadata: ["path": "\(path)", "analyzer": "worker", "error_code": "quarantined"])
        return FileAnalysisOutcome(
            hash: try? ContentHasher.sha256(path: path), audio: nil,
            error: "Quarantined: decoding this file \(reason) the analysis worker twice; it is tried again when the file changes."
        )
    }

    /// Lets idle workers exit; call once no analysis runs any more.
    func close() {
        closed.store(true, ordering: .relaxed)
        let workers = idle.withLock { workers in
            defer { workers.removeAll() }
            return workers
        }
        for worker in workers { worker.finish() }
    }

    private func borrow() throws(AnalysisWorkerProcess.Failure) -> AnalysisWorkerProcess {
        if let worker = idle.withLock({ $0.popLast() }) { return worker }
        return try AnalysisWorkerProcess(executable: executable)
    }

    private func giveBack(_ worker: AnalysisWorkerProcess) {
        if closed.load(ordering: .relaxed) {
            worker.finish()
        } else {
            idle.withLock { $0.append(worker) }
        }
    }
}
