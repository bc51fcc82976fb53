#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// A swift-log handler for a system service: to journald with structured
/// fields when stderr is the journal (`$JOURNAL_STREAM`), otherwise one line
/// per message on stderr with a `<N>` syslog priority prefix, which systemd
/// reads as the priority when stderr is a plain pipe to it.
///
/// Each entry carries `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, the code
/// location, and every metadata key as a field of its own (`path` becomes
/// `PATH`... see `JournalSocket.fieldName`).
public struct JournalLogHandler: LogHandler {
    /// Where entries go.
    public enum Destination: Sendable {
        case journal(JournalSocket)
        case standardError
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let identifier: String
    private let destination: Destination

    public init(label: String, identifier: String, destination: Destination) {
        self.label = label
        self.identifier = identifier
        self.destination = destination
    }

    /// The journal when stderr is connected to it (or `LOOPD_JOURNAL_SOCKET`
    /// names a socket to use instead), otherwise stderr.
    public static func detectDestination(environment: [String: String] = ProcessInfo.processInfo.environment) -> Destination {
        guard let stream = environment["JOURNAL_STREAM"], stderrIs(stream) else { return .standardError }
        guard let socket = JournalSocket(path: environment["LOOPD_JOURNAL_SOCKET"] ?? JournalSocket.defaultPath) else { return .standardError }
        return .journal(socket)
    }

    /// `JOURNAL_STREAM` is "device:inode" of the stream journald gave the service.
    static func stderrIs(_ stream: String) -> Bool {
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let priority = Self.priority(of: event.level)
        if case let .journal(socket) = destination {
            var fields: [(name: String, value: String)] = [
                ("MESSAGE", event.message.description), ("PRIORITY", String(priority)), ("SYSLOG_IDENTIFIER", identifier),
                ("CODE_FILE", event.file), ("CODE_LINE", String(event.line)), ("CODE_FUNC", event.function), ("LOGGER", label),
            ]
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((JournalSocket.fieldName(key), "\(value)")) }
            if socket.send(fields) { return }
        }
        // One line per message, whatever the message holds.
        var line = "<\(priority)>" + event.message.description.replacingOccurrences(of: "\n", with: " ")
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
