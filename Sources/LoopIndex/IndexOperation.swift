import LoopCore

/// A file's analysed state, ready to be stored.
public struct AnalysedFile: Sendable, Equatable {
    public var path: String
    public var root: String
    public var stat: FileStat
    public var format: String?
    public var sampleRate: Int?
    public var channels: Int?
    public var bitDepth: Int?
    public var frames: Int64?
    public var duration: Double?
    public var peakDb: Double?
    public var rmsDb: Double?
    public var truePeakDb: Double?
    public var loudnessLufs: Double?
    public var loudnessRangeLu: Double?
    public var clipLoudnessLufs: Double?
    public var dcOffset: Double?
    public var clippedSamples: Int?
    public var leadingSilence: Double?
    public var trailingSilence: Double?
    public var audioBpm: Double?
    public var audioBpmConfidence: Double?
    public var audioType: String?
    public var audioKey: String?
    public var audioKeyStrength: Double?
    public var audioRootNote: String?
    public var embeddedTempo: Double?
    public var embeddedOneShot: Bool?
    public var embeddedRootNote: Int?
    /// The key an ID3 `TKEY` frame gives, as a key name.
    public var embeddedKey: String?
    public var cuePoints: [Int64] = []
    public var description: String?
    public var originator: String?
    public var originated: String?
    public var title: String?
    public var artist: String?
    public var genre: String?
    public var comment: String?
    /// The first sustain loop of the sampler chunk, in frames.
    public var loop: ClosedRange<Int64>?
    public var hash: String?
    public var error: String?
    public var analysisVersion: String
    public var waveform: Waveform?
    public var peaks: WaveformPeaks?
    public var similarity: SimilarityVector?

    public init(path: String, root: String, stat: FileStat, analysisVersion: String) {
        self.path = path
        self.root = root
        self.stat = stat
        self.analysisVersion = analysisVersion
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
