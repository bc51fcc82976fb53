import LoopCore

/// What the index remembers about a file on disk, to decide whether it needs analysing again.
public struct StoredFileState: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var stat: FileStat
    public var analysisVersion: String
    public var hash: String?
    /// The row is kept while its file is not on disk.
    public var offline: Bool

    public init(id: Int64, path: String, stat: FileStat, analysisVersion: String, hash: String? = nil, offline: Bool = false) {
        self.id = id
        self.path = path
        self.stat = stat
        self.analysisVersion = analysisVersion
        self.hash = hash
        self.offline = offline
    }

    /// True when the file on disk is the one that was analysed, by the current analyzers.
    public func isCurrent(for stat: FileStat, analysisVersion: String) -> Bool {
        !self.stat.differs(from: stat) && self.analysisVersion == analysisVersion
    }
}
