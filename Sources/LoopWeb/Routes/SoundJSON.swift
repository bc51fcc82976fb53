import Foundation
import Hummingbird
import LoopAPI
import LoopCatalog
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

    /// `[sound, ...]`; `members` gives more members for the sound at each index, `hosts` the
    /// server holding it when not this one.
    static func writeArray(
        _ records: [SampleRecord], base: String, to output: inout String, members: (Int) -> String = { _ in "" }, hosts: (Int) -> String? = { _ in nil }
    ) {
        output += "["
        for (index, record) in records.enumerated() {
            if index > 0 { output += "," }
            write(record, base: base, to: &output, members: members(index), host: hosts(index))
        }
        output += "]"
    }

    /// A sound found in the shared catalogue names its `host` and whether that host is `available`.
    static func members(of hit: CatalogHit) -> String {
        ",\"host\":" + JSONLiteral.string(hit.host) + ",\"available\":\(hit.available)"
    }

    /// The server holding a catalogue hit when not this one (`ownHost`): its download goes through here.
    static func holder(of hit: CatalogHit, ownHost: String) -> String? {
        hit.host == ownHost ? nil : hit.host
    }

    /// Freesound's list envelope: `{"count", "next", "previous", "results"}` (`count` null when
    /// pages follow a cursor; `previous` is always null, since cursors go one way).
    static func page(
        _ records: [SampleRecord], count: Int?, next: String?, base: String, facets: SearchFacets? = nil,
        members: (Int) -> String = { _ in "" }, hosts: (Int) -> String? = { _ in nil }
    ) -> Response {
        var text = "{\"count\":" + (count.map(String.init) ?? "null") + ",\"next\":" + (next.map(JSONLiteral.string) ?? "null") + ",\"previous\":null,\"results\":"
        writeArray(records, base: base, to: &text, members: members, hosts: hosts)
        if let facets, let encoded = try? JSONEncoder().encode(facets) {
            text += ",\"facets\":" + String(decoding: encoded, as: UTF8.self)
        }
        return response(text + "}")
    }

    /// The full URL of a search's next page at `cursor`: the query's meaning kept (sort, tempo and
    /// key options, and whether it searches everywhere); its facets are the first page's.
    static func nextPage(_ cursor: String, of request: Request, base: String, query: String, pageSize: Int, everywhere: Bool) -> String {
        let parameters = request.uri.queryParameters
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "q", value: query)]
            + (everywhere ? [URLQueryItem(name: "everywhere", value: "true")] : [])
            + [URLQueryItem(name: "page_size", value: String(pageSize)), URLQueryItem(name: "cursor", value: cursor)]
            + ["sort", "half_double", "compatible_keys"].compactMap { name in parameters.get(name).map { URLQueryItem(name: name, value: $0) } }
        return base + "/sounds?" + (components.percentEncodedQuery ?? "")
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
