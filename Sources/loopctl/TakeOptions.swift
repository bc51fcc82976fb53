import ArgumentParser
import Foundation
import LoopCore

/// --artist/--song/--track/--version: a take, for roots with a path template.
struct TakeOptions: ParsableArguments {
    @Option(help: "The take's artist.") var artist: String?
    @Option(help: "The take's song.") var song: String?
    @Option(help: "The take's track (stem, part).") var track: String?
    @Option(help: "The take's version; add picks the next v1, v2... when left out, get the newest.") var version: String?

    var take: TakeFields? {
        let fields = TakeFields(artist: artist, song: song, track: track, version: version)
        return fields.isEmpty ? nil : fields
    }

    /// The query matching this take (or every version of it when no version is given).
    var query: String {
        var parts: [String] = []
        for (field, value) in [("artist", artist), ("song", song), ("track", track), ("version", version)] {
            if let value { parts.append("\(field):\"\(value.replacingOccurrences(of: "\"", with: ""))\"") }
        }
        return parts.joined(separator: " ")
    }
}
