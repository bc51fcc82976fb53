import CSndFile
import LoopCore

/// The facts about a stream that its header gives, before decoding.
public struct StreamFormat: Sendable, Equatable {
    public var container: AudioFormat
    public var sampleRate: Int
    public var channels: Int
    /// Bits per sample for PCM and float encodings; nil for lossy codecs.
    public var bitDepth: Int?
    /// Frames the header claims (an estimate for MP3).
    public var declaredFrames: Int64
    /// Whether `declaredFrames` is exact for this container.
    public var lengthIsExact: Bool

    public init(container: AudioFormat, sampleRate: Int, channels: Int, bitDepth: Int?, declaredFrames: Int64, lengthIsExact: Bool) {
        self.container = container
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitDepth = bitDepth
        self.declaredFrames = declaredFrames
        self.lengthIsExact = lengthIsExact
    }

    init(info: SF_INFO) {
        let major = info.format & Int32(SF_FORMAT_TYPEMASK)
        let subtype = info.format & Int32(SF_FORMAT_SUBMASK)
        container = Self.containerNames[major] ?? .other
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        bitDepth = Self.bitDepths[subtype]
        declaredFrames = Int64(info.frames)
        lengthIsExact = major != Int32(SF_FORMAT_MPEG)
    }

    private static let containerNames: [Int32: AudioFormat] = [
        Int32(SF_FORMAT_WAV): .wav, Int32(SF_FORMAT_WAVEX): .wav, Int32(SF_FORMAT_RF64): .wav,
        Int32(SF_FORMAT_AIFF): .aiff, Int32(SF_FORMAT_FLAC): .flac, Int32(SF_FORMAT_OGG): .ogg,
        Int32(SF_FORMAT_MPEG): .mp3, Int32(SF_FORMAT_CAF): .caf, Int32(SF_FORMAT_W64): .w64,
        Int32(SF_FORMAT_AU): .au,
    ]

    private static let bitDepths: [Int32: Int] = [
        Int32(SF_FORMAT_PCM_S8): 8, Int32(SF_FORMAT_PCM_U8): 8, Int32(SF_FORMAT_PCM_16): 16,
        Int32(SF_FORMAT_PCM_24): 24, Int32(SF_FORMAT_PCM_32): 32, Int32(SF_FORMAT_FLOAT): 32,
        Int32(SF_FORMAT_DOUBLE): 64,
    ]
}

extension AudioAnalysis {
    /// An analysis of a stream of this format, before any frame was read.
    public init(format: StreamFormat) {
        self.init(format: format.container, sampleRate: format.sampleRate, channels: format.channels, bitDepth: format.bitDepth)
    }
}
