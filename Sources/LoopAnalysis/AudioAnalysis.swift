import LoopCore

/// What one decode pass learned about a file.
public struct AudioAnalysis: Sendable, Equatable, Codable {
    public var format: String
    public var sampleRate: Int
    public var channels: Int
    public var bitDepth: Int?
    /// Frames actually decoded.
    public var frames: Int64
    public var peakDb: Double?
    public var rmsDb: Double?
    public var waveform: Waveform?
    /// Each analyzer that ran, with its version.
    public var analyzerVersions: [String: Int]

    public init(format: StreamFormat) {
        self.format = format.container
        self.sampleRate = format.sampleRate
        self.channels = format.channels
        self.bitDepth = format.bitDepth
        self.frames = 0
        self.analyzerVersions = [:]
    }

    public var duration: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }
}
