#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAnalysis
import LoopCore
import Synchronization

/// One `loopd --analysis-worker` child, talked to over two pipes. Used by
/// one job at a time: borrowed from and given back to the idle list under its lock.
final class AnalysisWorkerProcess: @unchecked Sendable {
    enum Failure: Error, Equatable {
        /// The worker died (a decoder crash, or the kernel's limits).
        case crashed
        /// No answer before the deadline (a decoder stuck in a loop, or stopped).
        case hung
        case cannotStart(String)
    }

    let pid: pid_t
    private let requests: Int32
    private let replies: Int32
    private var buffer: [UInt8] = []

    /// Held from creating a worker's pipes until it is spawned, so no other
    /// worker is spawned in between and inherits them (pipe2 is not exposed
    /// to Swift here, so close-on-exec is set a moment after creation).
    private static let spawning = Mutex(())

    /// Starts a worker from the daemon's own executable.
    init(executable: String) throws(Failure) {
        (pid, requests, replies) = try Self.spawning.withLock { _ throws(Failure) in try Self.spawn(executable) }
    }

    private static func spawn(_ executable: String) throws(Failure) -> (pid_t, Int32, Int32) {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw .cannotStart(String(cString: strerror(errno))) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw .cannotStart(String(cString: strerror(errno)))
        }
        // Close-on-exec, so later workers do not inherit this one's pipes.
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies the child keeps.
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        let arguments = [executable, "--analysis-worker"]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw .cannotStart(String(cString: strerror(spawned)))
        }
        return (child, toChild[1], fromChild[0])
    }

    /// Sends one file and waits for its outcome until `deadline`.
    func analyze(path: String, deadline: ContinuousClock.Instant) throws(Failure) -> FileAnalysisOutcome {
        guard var request = try? JSONEncoder().encode(AnalysisRequest(path: path)) else { throw .crashed }
        request.append(0x0A)
        try send(request)
        let line = try readLine(until: deadline)
        guard let outcome = try? JSONDecoder().decode(FileAnalysisOutcome.self, from: Data(line)) else { throw .crashed }
        return outcome
    }

    private func send(_ data: Data) throws(Failure) {
        let bytes = [UInt8](data)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(requests, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .crashed
            }
            offset += written
        }
    }

    private func readLine(until deadline: ContinuousClock.Instant) throws(Failure) -> [UInt8] {
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            scanned = buffer.count
            let remaining = deadline - .now
            guard remaining > .zero else { throw .hung }
            var poller = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining.milliseconds.rounded(.up), 60_000)))
            if ready < 0 && errno != EINTR { throw .crashed }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .crashed }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Ends the worker now and reaps it.
    func kill() {
        Glibc.kill(pid, SIGKILL)
        finish()
    }

    /// Closes its stdin, so it exits after the current file, and reaps it.
    func finish() {
        close(requests)
        close(replies)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
