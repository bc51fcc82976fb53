import Foundation

/// A fresh folder under the system temp folder, removed when released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "openloop") {
        // Short names keep Unix socket paths under their 107-byte limit.
        let name = "\(label)-\(UUID().uuidString.prefix(8))"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// `path/relative`, with its parent folders created.
    public func file(_ relative: String) -> String {
        let full = path + "/" + relative
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return full
    }

    public func makeDirectory(_ relative: String) -> String {
        let full = path + "/" + relative
        try? FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        return full
    }
}
