/// What one decode pass learned about a file.
public struct AudioAnalysis: Sendable, Equatable, Codable {
    public var format: AudioFormat
    public var sampleRate: Int
    public var channels: Int
    public var bitDepth: Int?
    /// Frames actually decoded.
    public var frames: Int64
    public var peakDb: Double?
    /// Seconds from the start to the first sample at the peak.
    public var peakPosition: Double?
    public var rmsDb: Double?
    /// Oversampled peak, dBTP (BS.1770-4).
    public var truePeakDb: Double?
    /// Mean sample value over all channels.
    public var dcOffset: Double?
    public var clippedSamples: Int?
    /// Seconds below -60 dBFS at the start and at the end.
    public var leadingSilence: Double?
    public var trailingSilence: Double?
    /// Integrated loudness (EBU R128); nil for clips under 400 ms and for silence.
    public var loudnessLufs: Double?
    /// Loudness range in LU; nil for clips under 3 s.
    public var loudnessRangeLu: Double?
    /// Ungated loudness over the whole clip, for clips up to 3 s.
    public var clipLoudnessLufs: Double?
    /// Tempo heard in the audio (see `RhythmAnalyzer`); nil for one-shots and non-rhythmic material.
    public var audioBpm: Double?
    /// 0...1: how strongly the audio pulses at `audioBpm`.
    public var audioBpmConfidence: Double?
    /// Loop or one-shot, as the audio alone suggests.
    public var audioType: SampleType?
    /// 0...1: how clearly the audio is what `audioType` says (a steady pulse over many onsets, a single hit).
    public var audioTypeConfidence: Double?
    /// Key heard in the audio, such as "F#m" (see `KeyAnalyzer`); nil for drums, noise and one-shots.
    public var audioKey: String?
    /// Correlation of the chroma with the key's profile, 0...1.
    public var audioKeyStrength: Double?
    /// Pitch class of a tonal one-shot, such as "C#".
    public var rootNote: String?
    /// Loop info, sampler chunk and tags stored in the file.
    public var embedded = EmbeddedMetadata()
    public var waveform: Waveform?
    /// Per-channel peaks at 256 frames per pixel.
    public var peaks: WaveformPeaks?
    /// How the sample sounds, for finding similar ones; nil for silence.
    public var similarity: SimilarityVector?
    /// Each analyzer that ran, with its version.
    public var analyzerVersions: [String: Int]

    public init(format: AudioFormat, sampleRate: Int, channels: Int, bitDepth: Int?, frames: Int64 = 0) {
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitDepth = bitDepth
        self.frames = frames
        self.analyzerVersions = [:]
    }

    public var duration: Double { sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0 }
}
