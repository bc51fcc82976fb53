#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A child process started with posix_spawn rather than Foundation's
/// `Process`, for programs that close every inherited descriptor (such as
/// `systemd-socket-activate`): Foundation learns of a child's exit through a
/// descriptor the child keeps, and one closed early makes it wait on the
/// child, stalling every other `Process` in the test run.
public final class SpawnedProcess: @unchecked Sendable {
    public let pid: pid_t
    /// What the child writes to stderr (and stdout, when merged), chunk by chunk.
    public let standardError = Collector<String>()
    private var reaped = false

    /// `mergingStandardOutput`: stdout goes where stderr goes (to `standardError`).
    public init(_ executable: String, _ arguments: [String], environment: [String: String], mergingStandardOutput: Bool = false) throws {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        for end in pipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 2)
        if mergingStandardOutput { posix_spawn_file_actions_adddup2(&actions, pipe[1], 1) }
        // Nothing else of the test process's: a busy run holds hundreds of sockets and pipes, which
        // a child would otherwise keep open (and PostgreSQL counts against its own descriptors).
        SpawnActions.closeFrom(3, in: &actions)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts with no signal blocked and every handler at its default: a test's thread
        // (a Dispatch worker) blocks most signals, and a child inheriting that ignores SIGTERM.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(pipe[1])
        guard status == 0 else {
            close(pipe[0])
            throw POSIXError(.init(rawValue: status) ?? .EIO)
        }
        self.pid = pid
        // The read end moves to a high number: descriptors are handed out lowest first, so one
        // closed twice elsewhere in the test process (a pipe of Foundation's Process) does not
        // land on it, which would end the reading or read another's output.
        let reader = Self.moveHigh(pipe[0])
        let collector = standardError
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                // A signal to the test process (a child's SIGCHLD) interrupts the read: reading must
                // go on, or the child blocks once its pipe is full, and with it what it serves.
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                collector.append(String(decoding: buffer.prefix(count), as: UTF8.self))
            }
            close(reader)
        }
    }

    /// `descriptor` moved to a number of 700 or more (the original closed); itself when it cannot be.
    private static func moveHigh(_ descriptor: Int32) -> Int32 {
        let high = fcntl(descriptor, F_DUPFD_CLOEXEC, 700)
        guard high >= 0 else { return descriptor }
        close(descriptor)
        return high
    }

    /// SIGTERM (or `signal`), then waits for the exit; returns the wait status.
    @discardableResult
    public func terminate(signal: Int32 = SIGTERM) -> Int32 {
        guard !reaped else { return 0 }
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        return status
    }

    /// Waits for the child to end by itself; returns its wait status.
    @discardableResult
    public func waitForExit() -> Int32 {
        guard !reaped else { return 0 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        return status
    }

    deinit { terminate() }
}
