import LoopCore

/// What the index remembers about a file on disk, to decide whether it needs analysing again.
public struct StoredFileState: Sendable, Equatable {
    public var id: Int64
    public var stat: FileStat
    public var analysisVersion: String

    public init(id: Int64, stat: FileStat, analysisVersion: String) {
        self.id = id
        self.stat = stat
        self.analysisVersion = analysisVersion
    }

    /// True when the file on disk is the one that was analysed, by the current analyzers.
    public func isCurrent(for stat: FileStat, analysisVersion: String) -> Bool {
        !self.stat.differs(from: stat) && self.analysisVersion == analysisVersion
    }
}
