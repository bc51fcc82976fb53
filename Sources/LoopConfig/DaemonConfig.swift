import LoopCore

/// Everything loopd needs to start, after the config file and flags are merged.
public struct DaemonConfig: Sendable, Equatable {
    /// Absolute paths of the library folders to index.
    public var roots: [String]
    /// Lower-cased file extensions that are indexed.
    public var extensions: Set<String>
    /// Folder for the database and caches.
    public var stateDirectory: String
    public var socketPath: String
    /// Permission bits of the socket file (0o660 by default).
    public var socketMode: UInt16
    /// Analysis threads.
    public var workers: Int
    /// How long a file must go unmodified before it is taken as complete when
    /// no close event says so (links, files found still short of their header).
    public var settleWindow: Duration = .milliseconds(500)
    /// How long one file's analysis may take before its worker is killed (plus 1 s per 2 MB of file).
    public var analysisDeadline: Duration = .seconds(30)
    /// What is never indexed.
    public var ignore = IgnoreRules()
    /// Follow symbolic links inside the roots.
    public var followSymlinks = false
    /// When following links, also index targets outside every root.
    public var followOutside = false

    public var symlinks: SymlinkPolicy { SymlinkPolicy(follow: followSymlinks, followOutside: followOutside, roots: roots) }
    /// How often folders that could not be watched (watch limit reached) are rescanned.
    public var pollInterval: Duration = .seconds(30)
    /// Most inotify watches to add before acting as if the kernel's limit was
    /// reached; nil leaves the limit to the kernel. Set from `$LOOPD_MAX_WATCHES`
    /// to exercise the degraded mode.
    public var watchLimit: Int?
    /// Path templates of roots that keep takes, by root (real path).
    public var templates: [String: PathTemplate] = [:]
    /// Members of this group (and root, and loopd's own user) may change shared
    /// data: shared collections, tags, added files. Nil: only root and loopd's user.
    public var writersGroup: String?
    /// What readers may learn about files they cannot read on disk.
    public var visibility = FileVisibility.permissions
    /// The views tree ("smart folders") and catalogue kept in each root; nil when off.
    public var views: ViewsConfig?
    /// The old `[spotlight]` section: loopd no longer listens (loopweb --spotlight does) and warns when it is on.
    public var spotlight: SpotlightEndpoint?
    /// What one client may ask at once (`[limits]`).
    public var limits = RequestLimits()

    public init(
        roots: [String], extensions: Set<String>, stateDirectory: String,
        socketPath: String, socketMode: UInt16, workers: Int
    ) {
        self.roots = roots
        self.extensions = extensions
        self.stateDirectory = stateDirectory
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.workers = workers
    }

    public var databasePath: String { stateDirectory + "/index.sqlite" }

    /// The defaults: `~/Samples`, XDG state and runtime folders, one worker per core.
    public static func defaults(paths: DefaultPaths = DefaultPaths(), cores: Int) -> DaemonConfig {
        DaemonConfig(
            roots: [paths.libraryRoot],
            extensions: Set(AudioFileTypes.defaultExtensions),
            stateDirectory: paths.stateDirectory,
            socketPath: paths.socketPath,
            socketMode: 0o660,
            workers: max(1, cores)
        )
    }
}

/// Where and how the views tree is published.
public struct ViewsConfig: Sendable, Equatable {
    /// The folder's name in each root ("_Index"). It is never indexed.
    public var folder: String
    public var links: ViewLinkKind
    /// Saved searches from the config, by name (`loopctl view add` keeps more in the index).
    public var searches: [String: String]

    public init(folder: String = "_Index", links: ViewLinkKind = .symlink, searches: [String: String] = [:]) {
        self.folder = folder
        self.links = links
        self.searches = searches
    }
}

/// The address of the Elasticsearch-style endpoint Samba's Spotlight service asks.
public struct SpotlightEndpoint: Sendable, Equatable {
    public var address: String
    public var port: Int

    public init(address: String = "127.0.0.1", port: Int = 9200) {
        self.address = address
        self.port = port
    }
}
