import LoopCore

/// A file's analysed state, ready to be stored.
public struct AnalysedFile: Sendable, Equatable {
    public var path: String
    public var root: String
    public var stat: FileStat
    public var analysisVersion: String
    public var hash: String?
    /// Why the file could not be analysed, as one sentence.
    public var error: String?
    /// What the analysis found; nil when the file could not be decoded.
    public var audio: AudioAnalysis?

    public init(path: String, root: String, stat: FileStat, analysisVersion: String, hash: String? = nil, error: String? = nil, audio: AudioAnalysis? = nil) {
        self.path = path
        self.root = root
        self.stat = stat
        self.analysisVersion = analysisVersion
        self.hash = hash
        self.error = error
        self.audio = audio
    }
}

/// One change to the index. The writer applies a batch of them in one transaction.
public enum IndexOperation: Sendable, Equatable {
    /// Insert or replace the row for `file.path`, keeping its id and `addedAt`.
    case store(AnalysedFile)
    /// Drop the row for a file that is gone.
    case remove(path: String)
    /// Drop every row below a directory that is gone.
    case removeTree(directory: String)
    /// A file renamed within the library: rewrite its path, keep its id and analysis.
    case move(from: String, to: String, root: String)
    /// A directory renamed within the library: rewrite every path below it.
    case moveTree(from: String, to: String, root: String)
    /// Keep these rows but mark them offline: their files are not on disk now.
    case setOffline(paths: [String])
    /// Mark every row of a root offline (the root is gone or unmounted).
    case setRootOffline(root: String)
    /// The file is back where its row says.
    case setOnline(path: String)
    /// Delete those of these rows that are still offline.
    case purgeOffline(paths: [String])
}
