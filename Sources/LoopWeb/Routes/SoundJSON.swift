import Hummingbird
import LoopCore

/// A sound as the API shows it: the record's fields without the server's paths (files are named
/// by id only), its name and folder inside the library, and links.
enum SoundJSON {
    static let hidden: Set<String> = ["path", "root"]

    static func write(_ record: SampleRecord, base: String, to output: inout String) {
        output += "{"
        record.writeJSONMembers(to: &output, omitting: hidden)
        let relative = RelativePath.of(record.path, in: record.root)
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        let folder = relative.count > name.count ? String(relative.dropLast(name.count + 1)) : ""
        let url = base + "/sounds/\(record.id)"
        output += ",\"name\":" + JSONLiteral.string(name) + ",\"folder\":" + JSONLiteral.string(folder)
        output += ",\"url\":" + JSONLiteral.string(url) + ",\"download\":" + JSONLiteral.string(url + "/download")
        output += "}"
    }

    static func response(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
