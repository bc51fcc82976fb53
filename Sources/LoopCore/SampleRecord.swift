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
        output += ",\"offline\":\(offline)}"
    }
}
