import Foundation
import Hummingbird
import LoopAPI
import LoopCore

/// A sound as the API shows it: the record's fields without the server's paths (files are named
/// by id only), its name and folder inside the library, and links.
enum SoundJSON {
    static let hidden: Set<String> = ["path", "root"]

    /// One sound; `members` are more members to add (`,"distance":0.1`). `host`: the server that
    /// holds a sound found in the shared catalogue, when not this one: the download goes through
    /// this server, and there is no page of the sound here (`url` null).
    static func write(_ record: SampleRecord, base: String, to output: inout String, members: String = "", host: String? = nil) {
        output += "{"
        record.writeJSONMembers(to: &output, omitting: hidden)
        let (name, folder) = nameAndFolder(record.path, in: record.root)
        output += ",\"name\":" + JSONLiteral.string(name) + ",\"folder\":" + JSONLiteral.string(folder)
        if let host {
            let name = host.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? host
            output += ",\"url\":null,\"download\":" + JSONLiteral.string(base + "/hosts/\(name)/sounds/\(record.id)/download")
        } else {
            let url = base + "/sounds/\(record.id)"
            output += ",\"url\":" + JSONLiteral.string(url) + ",\"download\":" + JSONLiteral.string(url + "/download")
        }
        output += members + "}"
    }

    /// `[sound, ...]`; `members` gives more members for the sound at each index.
    static func writeArray(_ records: [SampleRecord], base: String, to output: inout String, members: (Int) -> String = { _ in "" }) {
        output += "["
        for (index, record) in records.enumerated() {
            if index > 0 { output += "," }
            write(record, base: base, to: &output, members: members(index))
        }
        output += "]"
    }

    /// Freesound's list envelope: `{"count", "next", "previous", "results"}` (`count` null when
    /// pages follow a cursor; `previous` is always null, since cursors go one way).
    static func page(_ records: [SampleRecord], count: Int?, next: String?, base: String, facets: SearchFacets? = nil, members: (Int) -> String = { _ in "" }) -> Response {
        var text = "{\"count\":" + (count.map(String.init) ?? "null") + ",\"next\":" + (next.map(JSONLiteral.string) ?? "null") + ",\"previous\":null,\"results\":"
        writeArray(records, base: base, to: &text, members: members)
        if let facets, let encoded = try? JSONEncoder().encode(facets) {
            text += ",\"facets\":" + String(decoding: encoded, as: UTF8.self)
        }
        return response(text + "}")
    }

    /// A file's name and the folder it is in, inside its root: what replies show instead of paths.
    static func nameAndFolder(_ path: String, in root: String) -> (name: String, folder: String) {
        let relative = RelativePath.of(path, in: root)
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        return (name, relative.count > name.count ? String(relative.dropLast(name.count + 1)) : "")
    }

    static func response(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
