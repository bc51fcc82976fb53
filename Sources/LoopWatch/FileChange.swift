import LoopCore

/// What the watcher saw, already filtered to what the index cares about.
public enum FileChange: Sendable, Hashable {
    /// A supported file was written or appeared: index it if it changed.
    case fileChanged(path: String)
    /// A name appeared with no write seen yet: a fresh file that a close will
    /// follow, or one made whole by link()/linkat() that nothing will close.
    case fileCreated(path: String)
    case fileRemoved(path: String)
    case fileMoved(from: String, to: String)
    case directoryRemoved(path: String)
    case directoryMoved(from: String, to: String)
    /// A library root itself was deleted or moved away; its rows stay.
    case rootVanished(path: String)
    /// The kernel dropped events: everything must be rescanned.
    case overflow
    /// A sync cookie file appeared; every change before it has been delivered.
    case cookie(name: String)
}

/// Decides which names the watcher reports.
public struct PathFilter: Sendable {
    public var rules: IgnoreRules
    public var extensions: ExtensionMatcher
    public var symlinks: SymlinkPolicy
    public static let cookiePrefix = ".loopd-sync-"

    public init(rules: IgnoreRules = .standard, extensions: Set<String>, symlinks: SymlinkPolicy = SymlinkPolicy()) {
        self.rules = rules
        self.extensions = ExtensionMatcher(extensions)
        self.symlinks = symlinks
    }

    /// True for a file name the index holds.
    public func acceptsFile(named name: String) -> Bool {
        !rules.ignores(name: name) && acceptsExtension(of: name)
    }

    /// True when the name has an indexed extension (ignore rules not applied).
    public func acceptsExtension(of name: String) -> Bool {
        extensions.matches(name: name)
    }

    public func acceptsDirectory(named name: String) -> Bool {
        !rules.ignores(name: name)
    }
}
