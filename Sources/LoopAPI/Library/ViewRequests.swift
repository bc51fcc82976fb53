import LoopCore

/// The reply to `views`: where the views live, and the saved searches shown there.
public struct ViewList: Codable, Sendable, Equatable {
    /// Null when views are off in the config.
    public var folder: String?
    public var searches: [SavedView]

    public init(folder: String?, searches: [SavedView]) {
        self.folder = folder
        self.searches = searches
    }
}

/// Params and reply of `view.remove`.
public struct ViewName: Codable, Sendable, Equatable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// What one publishing of the views did (the reply to `views.rebuild`).
public struct ViewsReport: Codable, Sendable, Equatable {
    public var entries: Int
    public var added: Int
    public var removed: Int
    public var files: Int
    public var milliseconds: Double
    /// Entries or catalogues that could not be written, as sentences.
    public var failures: [String]

    public init(entries: Int = 0, added: Int = 0, removed: Int = 0, files: Int = 0, milliseconds: Double = 0, failures: [String] = []) {
        self.entries = entries
        self.added = added
        self.removed = removed
        self.files = files
        self.milliseconds = milliseconds
        self.failures = failures
    }
}

/// The reply to `views.sync`, once the views show every change made before it.
public struct ViewsSyncReply: Codable, Sendable, Equatable {
    public var waitedMs: Double
    public init(waitedMs: Double) { self.waitedMs = waitedMs }
}
