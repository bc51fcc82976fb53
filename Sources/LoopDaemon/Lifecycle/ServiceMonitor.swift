import Foundation
import Logging
import LoopIndex
import LoopSystemd
import LoopWatch
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Keeps systemd informed while loopd runs: a status line with indexing
/// progress, and watchdog pings sent only while both the RPC event loop and
/// the index writer answer, so a stuck writer leads to a watchdog restart.
struct ServiceMonitor: Service {
    let notifier: ServiceNotifier
    let components: DaemonComponents
    let logger: Logger
    var statusInterval: Duration = .seconds(2)

    /// Runs until the daemon stops.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await reportStatus() }
                if let interval = notifier.watchdogInterval {
                    group.addTask { await feedWatchdog(every: interval / 2) }
                }
            }
        }
    }

    /// Sends the status line whenever it changes.
    private func reportStatus() async {
        var progress = IndexingProgress()
        var last = ""
        while !Task.isCancelled {
            let totals = try? await components.store.totals()
            let line = progress.line(
                waiting: components.queue.pendingCount + components.queue.inFlightCount,
                stored: components.writer.stored, files: totals?.files ?? 0, errors: totals?.errors ?? 0, roots: components.roots.paths.count
            )
            if line != last {
                notifier.status(line)
                last = line
            }
            try? await Task.sleep(for: statusInterval)
        }
    }

    /// Pings at half the watchdog interval; skips a ping while the event loop
    /// or the writer has not answered the previous check.
    private func feedWatchdog(every period: Duration) async {
        let answered = Mutex(true)
        var stuckLogged = false
        while !Task.isCancelled {
            // An event loop that cannot run this has hung the RPC server: no ping.
            let loopAlive = (try? await MultiThreadedEventLoopGroup.singleton.any().submit { true }.get()) ?? false
            let writerAlive = answered.withLock { alive in
                defer { alive = false }
                return alive
            }
            if loopAlive && writerAlive {
                notifier.watchdog()
                stuckLogged = false
            } else if !stuckLogged {
                logger.critical("The \(loopAlive ? "index writer" : "RPC event loop") has not answered for \(period); no watchdog ping, so systemd can restart loopd.")
                stuckLogged = true
            }
            if writerAlive { components.writer.ping { answered.withLock { $0 = true } } }
            try? await Task.sleep(for: period)
        }
    }
}

/// The status line: progress of the current burst of work, or what is watched.
struct IndexingProgress {
    /// Files stored when the current burst of work began; nil while idle.
    private var storedAtStart: Int?

    mutating func line(waiting: Int, stored: Int, files: Int, errors: Int, roots: Int) -> String {
        let errorText = errors == 1 ? "1 error" : "\(Self.grouped(errors)) errors"
        guard waiting > 0 else {
            storedAtStart = nil
            return "watching \(Self.grouped(files)) files in \(roots) \(roots == 1 ? "root" : "roots"); \(errorText)"
        }
        let start = storedAtStart ?? stored
        storedAtStart = start
        let done = stored - start
        return "indexing \(Self.grouped(done)) of \(Self.grouped(done + waiting)); \(errorText)"
    }

    /// 1204 -> "1,204".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
