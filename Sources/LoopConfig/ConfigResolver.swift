#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore

/// Command-line settings that override the config file.
public struct ConfigOverrides: Sendable, Equatable {
    public var configFile: String?
    public var roots: [String] = []
    public var stateDirectory: String?
    public var socketPath: String?
    public var workers: Int?

    public init(configFile: String? = nil, roots: [String] = [], stateDirectory: String? = nil, socketPath: String? = nil, workers: Int? = nil) {
        self.configFile = configFile
        self.roots = roots
        self.stateDirectory = stateDirectory
        self.socketPath = socketPath
        self.workers = workers
    }
}

/// Merges defaults, the config file and flags (flags win), then checks the result.
public struct ConfigResolver: Sendable {
    public var paths: DefaultPaths
    public var cores: Int

    public init(paths: DefaultPaths = DefaultPaths(), cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.paths = paths
        self.cores = cores
    }

    /// Builds the config. The default library folder is created when it is
    /// used and absent; any other root must already exist.
    public func resolve(_ overrides: ConfigOverrides) throws(ConfigError) -> DaemonConfig {
        var config = DaemonConfig.defaults(paths: paths, cores: cores)
        var file = ConfigFile()
        if let path = overrides.configFile ?? paths.configFile() {
            file = try ConfigFile.load(path: path)
        }
        if let roots = file.roots { config.roots = roots }
        if let extensions = file.extensions { config.extensions = Set(extensions) }
        if let dir = file.stateDirectory { config.stateDirectory = dir }
        if let socket = file.socketPath { config.socketPath = socket }
        if let mode = file.socketMode { config.socketMode = mode }
        if let workers = file.workers { config.workers = workers == 0 ? max(1, cores) : workers }
        if let follow = file.followSymlinks { config.followSymlinks = follow }
        if let outside = file.followOutside { config.followOutside = outside }
        if let settle = file.settleMilliseconds { config.settleWindow = .milliseconds(settle) }
        if let deadline = file.analysisDeadlineSeconds { config.analysisDeadline = .seconds(deadline) }
        if let poll = file.pollSeconds { config.pollInterval = .seconds(poll) }
        if let bytes = file.limitLineBytes { config.limits.lineBytes = bytes }
        if let calls = file.limitBatchCalls { config.limits.batchCalls = calls }
        if let bytes = file.limitReplyBytes { config.limits.replyBytes = bytes }
        if let connections = file.limitConnections { config.limits.connections = connections }
        if let connections = file.limitConnectionsPerUser { config.limits.connectionsPerUser = connections }
        config.ignore = IgnoreRules(
            patterns: file.ignorePatterns ?? IgnoreRules.defaultPatterns,
            skipHidden: file.ignoreHidden ?? true,
            marker: file.ignoreMarker ?? IgnoreRules.defaultMarker
        )

        if let limit = paths.environment["LOOPD_MAX_WATCHES"].flatMap(Int.init), limit >= 0 { config.watchLimit = limit }
        if !overrides.roots.isEmpty { config.roots = overrides.roots }
        if let dir = overrides.stateDirectory { config.stateDirectory = dir }
        if let socket = overrides.socketPath { config.socketPath = socket }
        if let workers = overrides.workers { config.workers = workers == 0 ? max(1, cores) : workers }

        // Roots are watched and stored by their real path: a symlinked root would otherwise look like a file.
        config.roots = config.roots.map { realPath(absolute(paths.expandTilde($0))) }
        config.templates = Dictionary((file.templates ?? [:]).map { (realPath(absolute(paths.expandTilde($0.key))), $0.value) }) { first, _ in first }
        config.writersGroup = file.writersGroup
        if let visibility = file.visibility { config.visibility = visibility }
        if file.spotlightEnabled == true {
            config.spotlight = SpotlightEndpoint(address: file.spotlightAddress ?? "127.0.0.1", port: file.spotlightPort ?? 9200)
        }
        if file.viewsEnabled == true {
            let views = ViewsConfig(folder: file.viewsFolder ?? "_Index", links: file.viewsLinks ?? .symlink, searches: file.viewSearches ?? [:])
            config.views = views
            // The views folder holds links to indexed files: never index it, never watch it.
            if !config.ignore.patterns.contains(views.folder) {
                config.ignore = IgnoreRules(patterns: config.ignore.patterns + [views.folder], skipHidden: config.ignore.skipHidden, marker: config.ignore.marker)
            }
        }
        config.stateDirectory = absolute(paths.expandTilde(config.stateDirectory))
        config.socketPath = absolute(paths.expandTilde(config.socketPath))
        return try validated(config)
    }

    private func validated(_ config: DaemonConfig) throws(ConfigError) -> DaemonConfig {
        var config = config
        guard !config.roots.isEmpty else { throw .noRoots }
        var unique: [String] = []
        for root in config.roots where !unique.contains(root) {
            if root == paths.libraryRoot {
                try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .missingRoot(path: root)
            }
            unique.append(root)
        }
        config.roots = unique
        for root in config.templates.keys where !unique.contains(root) {
            throw .templateOutsideRoots(path: root)
        }
        return config
    }

    private func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func absolute(_ path: String) -> String {
        var url = URL(fileURLWithPath: path)
        url.standardize()
        var result = url.path
        while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
