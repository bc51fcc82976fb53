/// Where a root keeps takes: a path template such as
/// `{artist}/{song}/{track}/{version}.{ext}`, read both ways. A path that
/// fits gives the take's fields; the fields give the path `add` writes to.
public struct PathTemplate: Sendable, Equatable, CustomStringConvertible {
    public static let fieldNames = ["artist", "song", "track", "version"]

    enum Part: Equatable {
        case literal(String)
        case field(String)
    }

    let parts: [Part]
    public let description: String

    /// Parses a template; the error says what is wrong with it.
    public init(_ text: String) throws(PathTemplateError) {
        var parts: [Part] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "{" {
                guard let close = text[index...].firstIndex(of: "}") else { throw .unclosedBrace(template: text) }
                let name = String(text[text.index(after: index)..<close])
                guard Self.fieldNames.contains(name) || name == "ext" else { throw .unknownField(template: text, field: name) }
                if case .field = parts.last, literal.isEmpty { throw .adjacentFields(template: text) }
                if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
                parts.append(.field(name))
                index = text.index(after: close)
            } else {
                literal.append(character)
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard parts.contains(.field("song")) else { throw .missingSong(template: text) }
        guard !text.hasPrefix("/") else { throw .absolute(template: text) }
        self.parts = parts
        description = text
    }

    /// The take a path below its root describes, or nil when the path does not fit the template.
    public func take(relativePath: String) -> TakeFields? {
        guard let values = match(Substring(relativePath), parts[...]) else { return nil }
        return TakeFields(artist: values["artist"], song: values["song"], track: values["track"], version: values["version"])
    }

    /// Field values must not cross a folder boundary, and an extension has no dot; literals are matched exactly.
    private func match(_ text: Substring, _ parts: ArraySlice<Part>) -> [String: String]? {
        guard let first = parts.first else { return text.isEmpty ? [:] : nil }
        switch first {
        case let .literal(literal):
            guard text.hasPrefix(literal) else { return nil }
            return match(text.dropFirst(literal.count), parts.dropFirst())
        case let .field(name):
            // Shortest value first that lets the rest match, within one folder level.
            var end = text.startIndex
            while end < text.endIndex {
                end = text.index(after: end)
                let value = text[text.startIndex..<end]
                if value.contains("/") || (name == "ext" && value.contains(".")) { return nil }
                if var rest = match(text[end...], parts.dropFirst()) {
                    if name != "ext" { rest[name] = String(value) }
                    return rest
                }
            }
            return nil
        }
    }

    /// The path below the root for these fields, or the reason it cannot be made.
    public func relativePath(for take: TakeFields, fileExtension: String) throws(PathTemplateError) -> String {
        var path = ""
        for part in parts {
            switch part {
            case let .literal(literal): path += literal
            case .field("ext"): path += fileExtension
            case let .field(name):
                guard let value = take.value(of: name), !value.isEmpty else { throw .missingValue(template: description, field: name) }
                guard !value.contains("/"), value != ".", value != "..", !value.hasPrefix(".") else { throw .unsafeValue(field: name, value: value) }
                path += value
            }
        }
        return path
    }

    /// The template's fields in order, `ext` left out.
    public var fields: [String] {
        parts.compactMap { part in
            if case let .field(name) = part, name != "ext" { return name }
            return nil
        }
    }
}

/// Why a path template cannot be used, as one sentence.
public enum PathTemplateError: Error, Equatable, CustomStringConvertible, Sendable {
    case unclosedBrace(template: String)
    case unknownField(template: String, field: String)
    case adjacentFields(template: String)
    case missingSong(template: String)
    case absolute(template: String)
    case missingValue(template: String, field: String)
    case unsafeValue(field: String, value: String)

    public var description: String {
        switch self {
        case let .unclosedBrace(template): return "The path template '\(template)' has a '{' without its '}'."
        case let .unknownField(template, field):
            return "The path template '\(template)' names '{\(field)}'; the fields are {artist}, {song}, {track}, {version} and {ext}."
        case let .adjacentFields(template): return "The path template '\(template)' puts two fields side by side; separate them (e.g. with '/' or '_')."
        case let .missingSong(template): return "The path template '\(template)' must contain {song}."
        case let .absolute(template): return "The path template '\(template)' must be relative to its root (no leading '/')."
        case let .missingValue(template, field): return "The path template '\(template)' needs --\(field)."
        case let .unsafeValue(field, value): return "--\(field) '\(value)' cannot be a folder or file name (no '/', and no leading '.')."
        }
    }
}

/// The fields of one take: which artist, song, track and version a file is.
public struct TakeFields: Codable, Sendable, Equatable, Hashable {
    public var artist: String?
    public var song: String?
    public var track: String?
    public var version: String?

    public init(artist: String? = nil, song: String? = nil, track: String? = nil, version: String? = nil) {
        self.artist = artist
        self.song = song
        self.track = track
        self.version = version
    }

    public func value(of field: String) -> String? {
        switch field {
        case "artist": return artist
        case "song": return song
        case "track": return track
        case "version": return version
        default: return nil
        }
    }

    public var isEmpty: Bool { artist == nil && song == nil && track == nil && version == nil }
}
