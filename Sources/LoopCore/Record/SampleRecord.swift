/// One indexed audio file as clients see it: the `search`, `get` and `info` record.
///
/// Values that no analyzer has computed are `nil` and encode as JSON `null`,
/// never as a guess.
///
/// Every field is listed once in `fields`, which drives the coding, the fast
/// JSON writer, the index's columns and the index's writer. Adding a field is
/// its property, its line in `fields` and a migration adding its column.
public struct SampleRecord: Sendable, Equatable {
    public var id: Int64
    /// Absolute path of the file.
    public var path: String
    /// The library root the file lives under.
    public var root: String
    public var size: Int64
    public var format: AudioFormat?
    public var sampleRate: Int?
    public var channels: Int?
    /// Bits per sample for PCM (8, 16, 24, 32); 32 or 64 for float; nil for lossy codecs.
    public var bitDepth: Int?
    /// Duration in seconds, from the frames actually decoded.
    public var duration: Double?
    /// Sample peak in dBFS; nil for digital silence.
    public var peakDb: Double?
    /// Seconds from the start to the first sample at the peak; nil for digital silence.
    public var peakPosition: Double?
    /// RMS over all channels in dBFS; nil for digital silence.
    public var rmsDb: Double?
    public var bpm: Double?
    /// Musical key such as "Am" or "F#"; nil when unknown.
    public var key: String?
    /// Nil when unknown.
    public var type: SampleType?
    /// True peak (4x oversampled), dBTP; null for digital silence.
    public var truePeakDb: Double?
    /// Integrated loudness (EBU R128), LUFS; null for clips under 400 ms and for silence.
    public var loudnessLufs: Double?
    /// Loudness range, LU; null for clips under 3 s.
    public var loudnessRangeLu: Double?
    /// Ungated loudness over the whole clip, LUFS; for clips up to 3 s.
    public var clipLoudnessLufs: Double?
    /// Mean sample value over all channels.
    public var dcOffset: Double?
    /// Samples at or beyond full scale.
    public var clippedSamples: Int?
    /// Seconds below -60 dBFS at the start.
    public var leadingSilence: Double?
    /// Seconds below -60 dBFS at the end.
    public var trailingSilence: Double?
    /// 0...1: how well the file's length fits a named tempo, or how strongly the audio pulses at a heard one.
    public var bpmConfidence: Double?
    /// Where `bpm` came from: the file's metadata or a name, each only when it fits the file's length, or the audio.
    public var bpmSource: EvidenceSource?
    /// The key's Camelot code, such as "8A".
    public var camelot: String?
    /// 0...1: how well the audio's pitch profile fits the key; null for a key from the name.
    public var keyStrength: Double?
    /// The pitch class of a tonal one-shot, such as "C#" (one-shots have no key).
    public var rootNote: String?
    /// Tags stored in the file (RIFF INFO, Vorbis comments, ID3).
    public var title: String?
    public var artist: String?
    public var genre: String?
    public var comment: String?
    /// The first sustain loop of the file's sampler chunk, in frames.
    public var loopStart: Int64?
    public var loopEnd: Int64?
    /// Cue point positions stored in the file, in frames.
    public var cuePoints: [Int64] = []
    /// From the file's broadcast extension (`bext`): its description, originator, and origination date and time.
    public var description: String?
    public var originator: String?
    public var originated: String?
    public var keySource: EvidenceSource?
    public var typeSource: EvidenceSource?
    /// 0...1: how much the evidence for `type` weighed (a word in the file's name 0.9, a folder's 0.6, the audio its clarity).
    public var typeConfidence: Double?
    /// Instrument words from the file and folder names ("kick", "bass").
    public var instruments: [String] = []
    /// SHA-256 of the file's bytes, hex.
    public var hash: String?
    /// Why the file could not be analysed, as one sentence; nil when it was.
    public var error: String?
    /// When the file was first indexed (seconds since 1970).
    public var addedAt: Double
    /// When the file was last analysed (seconds since 1970).
    public var analyzedAt: Double
    /// True while the file is not on disk (its root or disk is missing); the row is kept for its return.
    public var offline: Bool
    /// The file's modification time when it was indexed, nanoseconds since 1970 (what `verify` compares).
    public var modifiedNs: Int64?
    /// The user who owns the file (who added it, over Samba or `loopctl add`): a name, or the uid as text.
    public var addedBy: String?
    /// User tags: the file's own and those of the folders above it. Automatic tags are `instruments`.
    public var tags: [String] = []
    /// Whether the user asking has marked it a favourite.
    public var favourite = false
    /// The take this file is, when its root has a path template and the path fits it.
    public var take: TakeFields?
    /// The name the file had before `loopctl add` placed it by the root's path template.
    public var originalName: String?

    /// Every field, in wire order.
    public static let fields: [RecordField] = [
        .index("id", { $0.id }, { $0.id = $1 }, required: true),
        .index("path", { $0.path }, { $0.path = $1 }, required: true),
        .index("root", { $0.root }, { $0.root = $1 }, required: true),
        .index("size", { $0.size }, { $0.size = $1 }, required: true),
        .analysis("format", { $0.format }, { $0.format = $1 }, from: \.format),
        .analysis("sampleRate", { $0.sampleRate }, { $0.sampleRate = $1 }, from: \.sampleRate),
        .analysis("channels", { $0.channels }, { $0.channels = $1 }, from: \.channels),
        .analysis("bitDepth", { $0.bitDepth }, { $0.bitDepth = $1 }, from: \.bitDepth),
        .analysis("duration", { $0.duration }, { $0.duration = $1 }, from: \.duration),
        .analysis("peakDb", { $0.peakDb }, { $0.peakDb = $1 }, from: \.peakDb),
        .analysis("rmsDb", { $0.rmsDb }, { $0.rmsDb = $1 }, from: \.rmsDb),
        .verdict("bpm", { $0.bpm }, { $0.bpm = $1 }, from: \.bpm),
        .verdict("key", { $0.key }, { $0.key = $1 }, from: \.key?.name),
        .verdict("type", { $0.type }, { $0.type = $1 }, from: \.type),
        .index("hash", { $0.hash }, { $0.hash = $1 }),
        .index("error", { $0.error }, { $0.error = $1 }),
        .index("addedAt", { $0.addedAt }, { $0.addedAt = $1 }, required: true),
        .index("analyzedAt", { $0.analyzedAt }, { $0.analyzedAt = $1 }, required: true),
        .index("offline", { $0.offline }, { $0.offline = $1 }, column: "missingSince IS NOT NULL"),
        .verdict("bpmConfidence", { $0.bpmConfidence }, { $0.bpmConfidence = $1 }, from: \.bpmConfidence),
        .verdict("keyStrength", { $0.keyStrength }, { $0.keyStrength = $1 }, from: \.keyStrength),
        .verdict("rootNote", { $0.rootNote }, { $0.rootNote = $1 }, from: \.rootNote),
        .analysis("title", { $0.title }, { $0.title = $1 }, from: \.embedded.title),
        .analysis("artist", { $0.artist }, { $0.artist = $1 }, from: \.embedded.artist),
        .analysis("genre", { $0.genre }, { $0.genre = $1 }, from: \.embedded.genre),
        .analysis("comment", { $0.comment }, { $0.comment = $1 }, from: \.embedded.comment),
        .analysis("loopStart", { $0.loopStart }, { $0.loopStart = $1 }, from: \.embedded.firstLoop?.lowerBound),
        .analysis("loopEnd", { $0.loopEnd }, { $0.loopEnd = $1 }, from: \.embedded.firstLoop?.upperBound),
        .analysis("truePeakDb", { $0.truePeakDb }, { $0.truePeakDb = $1 }, from: \.truePeakDb),
        .analysis("loudnessLufs", { $0.loudnessLufs }, { $0.loudnessLufs = $1 }, from: \.loudnessLufs),
        .analysis("loudnessRangeLu", { $0.loudnessRangeLu }, { $0.loudnessRangeLu = $1 }, from: \.loudnessRangeLu),
        .analysis("clipLoudnessLufs", { $0.clipLoudnessLufs }, { $0.clipLoudnessLufs = $1 }, from: \.clipLoudnessLufs),
        .analysis("dcOffset", { $0.dcOffset }, { $0.dcOffset = $1 }, from: \.dcOffset),
        .analysis("clippedSamples", { $0.clippedSamples }, { $0.clippedSamples = $1 }, from: \.clippedSamples),
        .analysis("leadingSilence", { $0.leadingSilence }, { $0.leadingSilence = $1 }, from: \.leadingSilence),
        .analysis("trailingSilence", { $0.trailingSilence }, { $0.trailingSilence = $1 }, from: \.trailingSilence),
        .verdict("bpmSource", { $0.bpmSource }, { $0.bpmSource = $1 }, from: \.bpmSource),
        .verdict("camelot", { $0.camelot }, { $0.camelot = $1 }, from: \.key?.camelot),
        .verdict("keySource", { $0.keySource }, { $0.keySource = $1 }, from: \.keySource),
        .verdict("typeSource", { $0.typeSource }, { $0.typeSource = $1 }, from: \.typeSource),
        .verdict("instruments", { $0.instruments }, { $0.instruments = $1 }, from: \.instruments),
        .analysis("cuePoints", { $0.cuePoints }, { $0.cuePoints = $1 }, from: \.embedded.cuePoints),
        .analysis("description", { $0.description }, { $0.description = $1 }, from: \.embedded.description),
        .analysis("originator", { $0.originator }, { $0.originator = $1 }, from: \.embedded.originator),
        .analysis("originated", { $0.originated }, { $0.originated = $1 }, from: \.embedded.originated),
        .index("modifiedNs", { $0.modifiedNs }, { $0.modifiedNs = $1 }, column: "mtimeNs"),
        .filledByIndex("addedBy", { $0.addedBy }, { $0.addedBy = $1 }),
        .filledByIndex("tags", { $0.tags }, { $0.tags = $1 }),
        .filledByIndex("favourite", { $0.favourite }, { $0.favourite = $1 }),
        .filledByIndex("take", { $0.take }, { $0.take = $1 }),
        .index("originalName", { $0.originalName }, { $0.originalName = $1 }),
        .analysis("peakPosition", { $0.peakPosition }, { $0.peakPosition = $1 }, from: \.peakPosition),
        .verdict("typeConfidence", { $0.typeConfidence }, { $0.typeConfidence = $1 }, from: \.typeConfidence),
    ]

    public init(
        id: Int64, path: String, root: String, size: Int64, format: AudioFormat? = nil,
        sampleRate: Int? = nil, channels: Int? = nil, bitDepth: Int? = nil,
        duration: Double? = nil, peakDb: Double? = nil, rmsDb: Double? = nil,
        bpm: Double? = nil, key: String? = nil, type: SampleType? = nil,
        hash: String? = nil, error: String? = nil, addedAt: Double, analyzedAt: Double, offline: Bool = false
    ) {
        self.id = id; self.path = path; self.root = root; self.size = size
        self.format = format; self.sampleRate = sampleRate; self.channels = channels
        self.bitDepth = bitDepth; self.duration = duration; self.peakDb = peakDb
        self.rmsDb = rmsDb; self.bpm = bpm; self.key = key; self.type = type
        self.hash = hash; self.error = error; self.addedAt = addedAt; self.analyzedAt = analyzedAt
        self.offline = offline
    }
}

// Coded by the field list, so that unknown values appear as explicit nulls and no key is written twice.
extension SampleRecord: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(id: 0, path: "", root: "", size: 0, addedAt: 0, analyzedAt: 0)
        let container = try decoder.container(keyedBy: RecordCodingKey.self)
        for field in Self.fields { try field.decode(&self, container) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: RecordCodingKey.self)
        for field in Self.fields { try field.encode(self, &container) }
    }
}

extension SampleRecord: JSONWritable {
    public func writeJSON(to output: inout String) {
        output += "{"
        writeJSONMembers(to: &output)
        output += "}"
    }

    /// The record's `"key":value` members, comma-separated and without braces, leaving out the
    /// fields named in `omitting`: for replies that add members of their own (the web API's links).
    public func writeJSONMembers(to output: inout String, omitting: Set<String> = []) {
        var first = true
        for field in Self.fields where omitting.isEmpty || !omitting.contains(field.name) {
            // The stored key starts with a comma, which the first member does without.
            output += first ? field.jsonKey.dropFirst() : Substring(field.jsonKey)
            first = false
            field.write(self, &output)
        }
    }
}

/// A take's fields travel as an object without its unknown fields, as the encoder writes it.
extension TakeFields: RecordValue {
    public func writeJSON(to output: inout String) {
        var separator = ""
        output += "{"
        for (name, value) in [("artist", artist), ("song", song), ("track", track), ("version", version)] {
            guard let value else { continue }
            output += separator + "\"" + name + "\":" + JSONLiteral.string(value)
            separator = ","
        }
        output += "}"
    }
}
