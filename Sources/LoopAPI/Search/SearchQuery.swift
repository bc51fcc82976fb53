import LoopCore

/// What a `search` asks for: words matched against the path below the root
/// (every word must match), plus optional filters on analysed values.
public struct SearchQuery: Codable, Sendable, Equatable {
    public var text: String
    public var bpm: NumericRange?
    /// Musical key, compared case-sensitively ("Am" is not "AM").
    public var key: String?
    public var type: String?
    public var duration: NumericRange?
    public var format: String?
    /// Most records to return; nil returns all. On the wire an absent `limit`
    /// means the default of 50 and an explicit null means all.
    public var limit: Int?
    /// Records to skip before the first returned.
    public var offset: Int

    public static let defaultLimit = 50

    public init(
        text: String = "", bpm: NumericRange? = nil, key: String? = nil, type: String? = nil,
        duration: NumericRange? = nil, format: String? = nil, limit: Int? = SearchQuery.defaultLimit, offset: Int = 0
    ) {
        self.text = text
        self.bpm = bpm
        self.key = key
        self.type = type
        self.duration = duration
        self.format = format
        self.limit = limit
        self.offset = offset
    }

    /// The free-text words, split on whitespace.
    public var words: [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    private enum CodingKeys: String, CodingKey { case text, bpm, key, type, duration, format, limit, offset }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(bpm, forKey: .bpm)
        try c.encodeIfPresent(key, forKey: .key)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(duration, forKey: .duration)
        try c.encodeIfPresent(format, forKey: .format)
        try c.encode(limit, forKey: .limit)  // null means "all", so it is always written
        try c.encode(offset, forKey: .offset)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
        bpm = try c.decodeIfPresent(NumericRange.self, forKey: .bpm)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        duration = try c.decodeIfPresent(NumericRange.self, forKey: .duration)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        if c.contains(.limit) {
            limit = try c.decodeNil(forKey: .limit) ? nil : c.decode(Int.self, forKey: .limit)
        } else {
            limit = Self.defaultLimit
        }
        offset = try c.decodeIfPresent(Int.self, forKey: .offset) ?? 0
    }
}
