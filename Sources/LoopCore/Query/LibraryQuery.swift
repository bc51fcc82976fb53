/// A parsed search in the query language (see `LibraryQueryParser`):
/// free text and field conditions combined with AND (implicit), OR and NOT.
public indirect enum LibraryQuery: Sendable, Equatable {
    /// Matches everything.
    case all
    /// Free text: words (prefix-matched) or a quoted phrase, over names, folders and metadata.
    case text(String, phrase: Bool)
    case field(QueryField, String)
    case not(LibraryQuery)
    case and([LibraryQuery])
    case or([LibraryQuery])
}

/// The fields a query can name, as `field:value`.
public enum QueryField: String, Sendable, CaseIterable {
    case bpm, key, type, dur, lufs, format, rate, tag, fav, `in`, path, channels, bits, name, instrument
    /// Who owns the file (who dropped it in): a user name or uid.
    case addedby
    /// A take's fields (roots with a path template); `artist` also matches the artist tag stored in the file.
    case artist, song, track, version

    /// Other spellings accepted for a field.
    static let aliases: [String: QueryField] = [
        "duration": .dur, "length": .dur, "loudness": .lufs, "samplerate": .rate, "sr": .rate, "ext": .format,
        "collection": .in, "folder": .path, "owner": .addedby, "user": .addedby, "favorite": .fav, "favourite": .fav, "bitdepth": .bits, "inst": .instrument,
    ]

    public init?(name: String) {
        let lower = name.lowercased()
        if let field = QueryField(rawValue: lower) { self = field } else if let field = Self.aliases[lower] { self = field } else { return nil }
    }
}

/// Why a query could not be parsed or run, as one sentence.
public struct QueryError: Error, Equatable, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
