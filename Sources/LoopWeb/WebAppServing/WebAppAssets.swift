import Crypto
import Foundation
import LoopFiles

/// The web app's files (HTML, CSS, JavaScript modules), read once at start. They are served
/// under one digest of them all, `assets/<digest>/<file>`, so a browser may keep them a year: any
/// change to any file gives new names. Relative imports between modules keep working, since all
/// share the folder.
public struct WebAppAssets: Sendable {
    public struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    /// Files by name (no folders: the app is one flat folder).
    let files: [String: File]
    /// The first 16 hex digits of the SHA-256 over every file's name and bytes.
    public let digest: String
    /// `index.html` with its asset links pointing at this digest's folder.
    let index: [UInt8]

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "json": "application/json",
    ]

    public struct MissingApp: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the app in `folder`; it must hold `index.html`.
    public init(folder: String) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw MissingApp(description: "The web app's folder \(folder) cannot be read.")
        }
        var files: [String: File] = [:]
        var hasher = SHA256()
        for name in names {
            let ext = (name as NSString).pathExtension.lowercased()
            guard let type = Self.contentTypes[ext], let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            files[name] = File(bytes: [UInt8](data), contentType: type)
            hasher.update(data: Data(name.utf8) + Data([0]))
            hasher.update(data: data)
        }
        guard let page = files["index.html"] else { throw MissingApp(description: "\(folder) has no index.html.") }
        digest = String(ContentHasher.hex(hasher.finalize()).prefix(16))
        // Every module announced up front: the browser fetches them at once instead of import by import.
        let preloads = files.keys.filter { $0.hasSuffix(".js") }.sorted().map { "<link rel=\"modulepreload\" href=\"{{assets}}/\($0)\">\n" }.joined()
        let html = String(decoding: page.bytes, as: UTF8.self).replacingOccurrences(of: "</head>", with: preloads + "</head>")
        index = Array(html.replacingOccurrences(of: "{{assets}}", with: "assets/" + digest).utf8)
        self.files = files
    }

    /// The file `name` of the folder `digest`; nil for an old digest or a name not in the app.
    func file(_ name: String, digest requested: String) -> File? {
        guard requested == digest, name != "index.html" else { return nil }
        return files[name]
    }

    /// Where the app is found when --web-root is not given: installed beside the binary
    /// (`../share/openloop/web`), or in the build's resource bundle.
    public static func defaultFolder(executable: String = CommandLine.arguments.first ?? "") -> String? {
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
        let candidates = [
            binary + "/../share/openloop/web",
            binary + "/OpenLoop_LoopWeb.resources/App",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
    }
}
