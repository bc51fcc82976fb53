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
    /// Most records to return; nil returns all.
    public var limit: Int?
    /// Records to skip before the first returned.
    public var offset: Int

    public init(
        text: String = "", bpm: NumericRange? = nil, key: String? = nil, type: String? = nil,
        duration: NumericRange? = nil, format: String? = nil, limit: Int? = 50, offset: Int = 0
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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
        bpm = try c.decodeIfPresent(NumericRange.self, forKey: .bpm)
        key = try c.decodeIfPresent(String.self, forKey: .key)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        duration = try c.decodeIfPresent(NumericRange.self, forKey: .duration)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        offset = try c.decodeIfPresent(Int.self, forKey: .offset) ?? 0
    }
}
