import CSystemd
import Foundation

/// Tells systemd how the service is doing, through libsystemd's `sd_notify`:
/// ready, a status line, watchdog pings, reloading and stopping.
///
/// Without `$NOTIFY_SOCKET` (not started by systemd) every call does nothing.
public struct ServiceNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens.
    public var isActive: Bool { ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil }

    /// The watchdog interval systemd expects pings within, or nil when there is no watchdog.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds))
    }

    public func ready(status: String? = nil) { send(["READY=1"] + (status.map { ["STATUS=" + $0] } ?? [])) }
    public func status(_ text: String) { send(["STATUS=" + text]) }
    public func watchdog() { send(["WATCHDOG=1"]) }
    public func reloading() { send(["RELOADING=1"]) }
    public func stopping() { send(["STOPPING=1"]) }

    private func send(_ lines: [String]) {
        // A status line must stay one line.
        let text = lines.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
        _ = sd_notify(0, text)
    }
}
