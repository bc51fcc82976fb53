#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAnalysis

/// One request to an analysis worker process: a line of JSON on its stdin.
struct AnalysisRequest: Codable {
    var path: String
}

/// The child side of isolated decoding: `loopd --analysis-worker` reads one
/// request per line on stdin and answers each with a `FileAnalysisOutcome`
/// as one line of JSON on stdout, until stdin closes.
public enum AnalysisWorkerMain {
    /// Address space a worker may add to what it holds at start: far above what
    /// streaming decode needs, low enough that a runaway allocation fails in the worker.
    static let addressSpaceAllowance: rlim_t = 8 << 30

    public static func run() -> Never {
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
        // Counted from what is mapped now: a sanitizer's shadow memory, reserved at start, is terabytes.
        let limit = mappedBytes() + addressSpaceAllowance
        var addressSpace = rlimit(rlim_cur: limit, rlim_max: limit)
        setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &addressSpace)
        let fault = WorkerFault(ProcessInfo.processInfo.environment["LOOPD_WORKER_FAULT"])
        let analyzer = FileAnalyzer()
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        while let line = readLine(strippingNewline: true) {
            guard let request = try? decoder.decode(AnalysisRequest.self, from: Data(line.utf8)) else { exit(2) }
            fault?.strike(on: request.path)
            guard var reply = try? encoder.encode(analyzer.analyze(path: request.path)) else { exit(3) }
            reply.append(0x0A)
            FileHandle.standardOutput.write(reply)
        }
        exit(0)
    }

    /// The process's virtual size (`/proc/self/statm`'s first field, in pages).
    private static func mappedBytes() -> rlim_t {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").first.flatMap({ rlim_t($0) }) else { return 0 }
        return pages * rlim_t(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Fault injection for tests, at the process boundary: `crash:TEXT` makes the
/// worker SIGKILL itself on a path containing TEXT, `hang:TEXT` stop itself
/// (SIGSTOP), as a decoder that crashes or hangs on that file would.
struct WorkerFault {
    enum Kind { case crash, hang }
    let kind: Kind
    let marker: String

    init?(_ setting: String?) {
        guard let setting, let colon = setting.firstIndex(of: ":") else { return nil }
        switch setting[..<colon] {
        case "crash": kind = .crash
        case "hang": kind = .hang
        default: return nil
        }
        marker = String(setting[setting.index(after: colon)...])
        if marker.isEmpty { return nil }
    }

    func strike(on path: String) {
        guard path.contains(marker) else { return }
        raise(kind == .crash ? SIGKILL : SIGSTOP)
    }
}
