import CSndFile

/// The file encodings the generator can write, covering what loopd indexes.
public enum AudioFileKind: String, CaseIterable, Sendable {
    case wav16, wav24, wavFloat, aiff16, aiff24, flac16, flac24, ogg, mp3

    public var fileExtension: String {
        switch self {
        case .wav16, .wav24, .wavFloat: return "wav"
        case .aiff16, .aiff24: return "aif"
        case .flac16, .flac24: return "flac"
        case .ogg: return "ogg"
        case .mp3: return "mp3"
        }
    }

    /// The container name loopd reports for this kind.
    public var containerName: String {
        switch self {
        case .wav16, .wav24, .wavFloat: return "wav"
        case .aiff16, .aiff24: return "aiff"
        case .flac16, .flac24: return "flac"
        case .ogg: return "ogg"
        case .mp3: return "mp3"
        }
    }

    /// Bits per sample loopd should report; nil for lossy codecs.
    public var bitDepth: Int? {
        switch self {
        case .wav16, .aiff16, .flac16: return 16
        case .wav24, .aiff24, .flac24: return 24
        case .wavFloat: return 32
        case .ogg, .mp3: return nil
        }
    }

    var sndfileFormat: Int32 {
        switch self {
        case .wav16: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .wav24: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case .wavFloat: return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        case .aiff16: return Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_16)
        case .aiff24: return Int32(SF_FORMAT_AIFF | SF_FORMAT_PCM_24)
        case .flac16: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .flac24: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
        case .ogg: return Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
        case .mp3: return Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        }
    }
}
