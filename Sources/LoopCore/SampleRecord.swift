/// One indexed audio file as clients see it: the `search`, `get` and `info` record.
///
/// Values that no analyzer has computed are `nil` and encode as JSON `null`,
/// never as a guess.
public struct SampleRecord: Codable, Sendable, Equatable {
    public var id: Int64
    /// Absolute path of the file.
    public var path: String
    /// The library root the file lives under.
    public var root: String
    public var size: Int64
    /// Container format, lower case: "wav", "aiff", "flac", "ogg", "mp3".
    public var format: String?
    public var sampleRate: Int?
    public var channels: Int?
    /// Bits per sample for PCM (8, 16, 24, 32); 32 or 64 for float; nil for lossy codecs.
    public var bitDepth: Int?
    /// Duration in seconds, from the frames actually decoded.
    public var duration: Double?
    /// Sample peak in dBFS; nil for digital silence.
    public var peakDb: Double?
    /// RMS over all channels in dBFS; nil for digital silence.
    public var rmsDb: Double?
    public var bpm: Double?
    /// Musical key such as "Am" or "F#"; nil when unknown.
    public var key: String?
    /// "loop", "one-shot", or nil when unknown.
    public var type: String?
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
    /// Where `bpm` came from: "embedded" (loop info or ID3 `TBPM`) or "filename", each only when it fits the file's length, or "audio".
    public var bpmSource: String?
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
    /// Where `key` came from: "embedded", "filename" or "audio".
    public var keySource: String?
    /// Where `type` came from: "embedded", "filename" or "audio".
    public var typeSource: String?
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

    public init(
        id: Int64, path: String, root: String, size: Int64, format: String? = nil,
        sampleRate: Int? = nil, channels: Int? = nil, bitDepth: Int? = nil,
        duration: Double? = nil, peakDb: Double? = nil, rmsDb: Double? = nil,
        bpm: Double? = nil, key: String? = nil, type: String? = nil,
        hash: String? = nil, error: String? = nil, addedAt: Double, analyzedAt: Double, offline: Bool = false
    ) {
        self.id = id; self.path = path; self.root = root; self.size = size
        self.format = format; self.sampleRate = sampleRate; self.channels = channels
        self.bitDepth = bitDepth; self.duration = duration; self.peakDb = peakDb
        self.rmsDb = rmsDb; self.bpm = bpm; self.key = key; self.type = type
        self.hash = hash; self.error = error; self.addedAt = addedAt; self.analyzedAt = analyzedAt
        self.offline = offline
    }

    private enum CodingKeys: String, CodingKey {
        case id, path, root, size, format, sampleRate, channels, bitDepth, duration
        case peakDb, rmsDb, bpm, key, type, hash, error, addedAt, analyzedAt, offline
        case bpmConfidence, keyStrength, rootNote, title, artist, genre, comment, loopStart, loopEnd, truePeakDb, loudnessLufs, loudnessRangeLu, clipLoudnessLufs, dcOffset, clippedSamples, leadingSilence, trailingSilence, bpmSource, camelot, keySource, typeSource, instruments
        case cuePoints, description, originator, originated
        case modifiedNs, addedBy, tags, favourite, take, originalName
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        path = try c.decode(String.self, forKey: .path)
        root = try c.decode(String.self, forKey: .root)
        size = try c.decode(Int64.self, forKey: .size)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        sampleRate = try c.decodeIfPresent(Int.self, forKey: .sampleRate)
        channels = try c.decodeIfPresent(Int.self, forKey: .channels)
        bitDepth = try c.decodeIfPresent(Int.self, forKey: .bitDepth)
        duration = try c.decodeIfPresent(Double.self, forKey: .duration)
        peakDb = try c.decodeIfPresent(Double.self, forKey: .peakDb)
        rmsDb = try c.decodeIfPresent(Double.self, forKey: .rmsDb)
        bpm = try c.decodeIfPresent(Double.self, forKey: .bpm)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        hash = try c.decodeIfPresent(String.self, forKey: .hash)
        error = try c.decodeIfPresent(String.self, forKey: .error)
        addedAt = try c.decode(Double.self, forKey: .addedAt)
        analyzedAt = try c.decode(Double.self, forKey: .analyzedAt)
        offline = try c.decodeIfPresent(Bool.self, forKey: .offline) ?? false
        bpmConfidence = try c.decodeIfPresent(Double.self, forKey: .bpmConfidence)
        keyStrength = try c.decodeIfPresent(Double.self, forKey: .keyStrength)
        rootNote = try c.decodeIfPresent(String.self, forKey: .rootNote)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        artist = try c.decodeIfPresent(String.self, forKey: .artist)
        genre = try c.decodeIfPresent(String.self, forKey: .genre)
        comment = try c.decodeIfPresent(String.self, forKey: .comment)
        loopStart = try c.decodeIfPresent(Int64.self, forKey: .loopStart)
        loopEnd = try c.decodeIfPresent(Int64.self, forKey: .loopEnd)
        truePeakDb = try c.decodeIfPresent(Double.self, forKey: .truePeakDb)
        loudnessLufs = try c.decodeIfPresent(Double.self, forKey: .loudnessLufs)
        loudnessRangeLu = try c.decodeIfPresent(Double.self, forKey: .loudnessRangeLu)
        clipLoudnessLufs = try c.decodeIfPresent(Double.self, forKey: .clipLoudnessLufs)
        dcOffset = try c.decodeIfPresent(Double.self, forKey: .dcOffset)
        clippedSamples = try c.decodeIfPresent(Int.self, forKey: .clippedSamples)
        leadingSilence = try c.decodeIfPresent(Double.self, forKey: .leadingSilence)
        trailingSilence = try c.decodeIfPresent(Double.self, forKey: .trailingSilence)
        bpmSource = try c.decodeIfPresent(String.self, forKey: .bpmSource)
        camelot = try c.decodeIfPresent(String.self, forKey: .camelot)
        keySource = try c.decodeIfPresent(String.self, forKey: .keySource)
        typeSource = try c.decodeIfPresent(String.self, forKey: .typeSource)
        instruments = try c.decodeIfPresent([String].self, forKey: .instruments) ?? []
        cuePoints = try c.decodeIfPresent([Int64].self, forKey: .cuePoints) ?? []
        description = try c.decodeIfPresent(String.self, forKey: .description)
        originator = try c.decodeIfPresent(String.self, forKey: .originator)
        originated = try c.decodeIfPresent(String.self, forKey: .originated)
        modifiedNs = try c.decodeIfPresent(Int64.self, forKey: .modifiedNs)
        addedBy = try c.decodeIfPresent(String.self, forKey: .addedBy)
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        favourite = try c.decodeIfPresent(Bool.self, forKey: .favourite) ?? false
        take = try c.decodeIfPresent(TakeFields.self, forKey: .take)
        originalName = try c.decodeIfPresent(String.self, forKey: .originalName)
    }

    // Written by hand so that unknown values appear as explicit nulls.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(path, forKey: .path)
        try c.encode(root, forKey: .root)
        try c.encode(size, forKey: .size)
        try c.encode(format, forKey: .format)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(channels, forKey: .channels)
        try c.encode(bitDepth, forKey: .bitDepth)
        try c.encode(duration, forKey: .duration)
        try c.encode(peakDb, forKey: .peakDb)
        try c.encode(rmsDb, forKey: .rmsDb)
        try c.encode(bpm, forKey: .bpm)
        try c.encode(key, forKey: .key)
        try c.encode(type, forKey: .type)
        try c.encode(hash, forKey: .hash)
        try c.encode(error, forKey: .error)
        try c.encode(addedAt, forKey: .addedAt)
        try c.encode(analyzedAt, forKey: .analyzedAt)
        try c.encode(offline, forKey: .offline)
        try c.encode(bpmConfidence, forKey: .bpmConfidence)
        try c.encode(keyStrength, forKey: .keyStrength)
        try c.encode(rootNote, forKey: .rootNote)
        try c.encode(title, forKey: .title)
        try c.encode(artist, forKey: .artist)
        try c.encode(genre, forKey: .genre)
        try c.encode(comment, forKey: .comment)
        try c.encode(loopStart, forKey: .loopStart)
        try c.encode(loopEnd, forKey: .loopEnd)
        try c.encode(truePeakDb, forKey: .truePeakDb)
        try c.encode(loudnessLufs, forKey: .loudnessLufs)
        try c.encode(loudnessRangeLu, forKey: .loudnessRangeLu)
        try c.encode(clipLoudnessLufs, forKey: .clipLoudnessLufs)
        try c.encode(dcOffset, forKey: .dcOffset)
        try c.encode(clippedSamples, forKey: .clippedSamples)
        try c.encode(leadingSilence, forKey: .leadingSilence)
        try c.encode(trailingSilence, forKey: .trailingSilence)
        try c.encode(bpmSource, forKey: .bpmSource)
        try c.encode(camelot, forKey: .camelot)
        try c.encode(keySource, forKey: .keySource)
        try c.encode(typeSource, forKey: .typeSource)
        try c.encode(instruments, forKey: .instruments)
        try c.encode(cuePoints, forKey: .cuePoints)
        try c.encode(description, forKey: .description)
        try c.encode(originator, forKey: .originator)
        try c.encode(originated, forKey: .originated)
        try c.encode(modifiedNs, forKey: .modifiedNs)
        try c.encode(addedBy, forKey: .addedBy)
        try c.encode(tags, forKey: .tags)
        try c.encode(favourite, forKey: .favourite)
        try c.encode(take, forKey: .take)
        try c.encode(originalName, forKey: .originalName)
    }
}

extension SampleRecord: JSONWritable {
    public func writeJSON(to output: inout String) {
        output += "{\"id\":\(id),\"path\":\(JSONLiteral.string(path)),\"root\":\(JSONLiteral.string(root))"
        output += ",\"size\":\(size),\"format\":\(JSONLiteral.string(format))"
        output += ",\"sampleRate\":\(JSONLiteral.number(sampleRate)),\"channels\":\(JSONLiteral.number(channels))"
        output += ",\"bitDepth\":\(JSONLiteral.number(bitDepth)),\"duration\":\(JSONLiteral.number(duration))"
        output += ",\"peakDb\":\(JSONLiteral.number(peakDb)),\"rmsDb\":\(JSONLiteral.number(rmsDb))"
        output += ",\"bpm\":\(JSONLiteral.number(bpm)),\"key\":\(JSONLiteral.string(key)),\"type\":\(JSONLiteral.string(type))"
        output += ",\"hash\":\(JSONLiteral.string(hash)),\"error\":\(JSONLiteral.string(error))"
        output += ",\"addedAt\":\(JSONLiteral.number(addedAt)),\"analyzedAt\":\(JSONLiteral.number(analyzedAt))"
        output += ",\"offline\":\(offline)"
        output += ",\"bpmConfidence\":\(JSONLiteral.number(bpmConfidence))"
        output += ",\"keyStrength\":\(JSONLiteral.number(keyStrength)),\"rootNote\":\(JSONLiteral.string(rootNote))"
        output += ",\"title\":\(JSONLiteral.string(title)),\"artist\":\(JSONLiteral.string(artist))"
        output += ",\"genre\":\(JSONLiteral.string(genre)),\"comment\":\(JSONLiteral.string(comment))"
        output += ",\"loopStart\":\(JSONLiteral.number(loopStart)),\"loopEnd\":\(JSONLiteral.number(loopEnd))"
        output += ",\"truePeakDb\":\(JSONLiteral.number(truePeakDb))"
        output += ",\"loudnessLufs\":\(JSONLiteral.number(loudnessLufs))"
        output += ",\"loudnessRangeLu\":\(JSONLiteral.number(loudnessRangeLu))"
        output += ",\"clipLoudnessLufs\":\(JSONLiteral.number(clipLoudnessLufs))"
        output += ",\"dcOffset\":\(JSONLiteral.number(dcOffset))"
        output += ",\"clippedSamples\":\(JSONLiteral.number(clippedSamples))"
        output += ",\"leadingSilence\":\(JSONLiteral.number(leadingSilence))"
        output += ",\"trailingSilence\":\(JSONLiteral.number(trailingSilence))"
        output += ",\"bpmSource\":\(JSONLiteral.string(bpmSource))"
        output += ",\"camelot\":\(JSONLiteral.string(camelot))"
        output += ",\"keySource\":\(JSONLiteral.string(keySource))"
        output += ",\"typeSource\":\(JSONLiteral.string(typeSource))"
        output += ",\"instruments\":[" + instruments.map { JSONLiteral.string($0) }.joined(separator: ",") + "]"
        output += ",\"cuePoints\":[" + cuePoints.map(String.init).joined(separator: ",") + "]"
        output += ",\"description\":\(JSONLiteral.string(description)),\"originator\":\(JSONLiteral.string(originator))"
        output += ",\"originated\":\(JSONLiteral.string(originated))"
        output += ",\"modifiedNs\":\(JSONLiteral.number(modifiedNs)),\"addedBy\":\(JSONLiteral.string(addedBy))"
        output += ",\"tags\":[" + tags.map { JSONLiteral.string($0) }.joined(separator: ",") + "]"
        output += ",\"favourite\":\(favourite)"
        if let take {
            output += ",\"take\":{\"artist\":\(JSONLiteral.string(take.artist)),\"song\":\(JSONLiteral.string(take.song))"
            output += ",\"track\":\(JSONLiteral.string(take.track)),\"version\":\(JSONLiteral.string(take.version))}"
        } else {
            output += ",\"take\":null"
        }
        output += ",\"originalName\":\(JSONLiteral.string(originalName))"
        output += "}"
    }
}
