import Hummingbird
import LoopCore

/// A sound as the API shows it: the record's fields without the server's paths (files are named
/// by id only), its name and folder inside the library, and links.
enum SoundJSON {
    static let hidden: Set<String> = ["path", "root"]

    static func write(_ record: SampleRecord, base: String, to output: inout String) {
        output += "{"
        record.writeJSONMembers(to: &output, omitting: hidden)
        let (name, folder) = nameAndFolder(record.path, in: record.root)
        let url = base + "/sounds/\(record.id)"
        output += ",\"name\":" + JSONLiteral.string(name) + ",\"folder\":" + JSONLiteral.string(folder)
        output += ",\"url\":" + JSONLiteral.string(url) + ",\"download\":" + JSONLiteral.string(url + "/download")
        output += "}"
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
