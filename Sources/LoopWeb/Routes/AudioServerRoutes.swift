import Foundation
import Hummingbird
import LoopAPI
import LoopCore

/// The routes of AudioServer-style clients, which name a file by its name rather than an id:
/// `/upload`, `/download?name=`, `/list?maxduration=`, `/info?name=`, `/delete?name=`. A name is
/// a file's name as `/sounds` shows it (never a path), matched whole and case-insensitively among
/// the files the account may read; a name several files share is 409 with their ids.
struct AudioServerRoutes: Sendable {
    let sounds: SoundRoutes
    let uploads: UploadRoutes
    let trash: TrashRoutes

    func add(to group: RouterGroup<WebContext>) {
        group.post("upload") { request, context in try await uploads.uploadForm(request, context) }
        group.get("download") { request, context in
            try await sounds.download(request, id: resolve(request, context).id, for: context.account, pacedBy: context.eventLoop, sendBody: true)
        }
        group.get("info") { request, context in
            var text = ""
            SoundJSON.write(try await resolve(request, context), base: sounds.links.base(of: request), to: &text)
            return SoundJSON.response(text)
        }
        group.get("list") { request, context in try await list(request, context) }
        group.delete("delete") { request, context in try await trash.delete(id: resolve(request, context).id, for: context.account) }
        group.post("delete") { request, context in try await trash.delete(id: resolve(request, context).id, for: context.account) }
    }

    /// `?maxduration=SECONDS` (and `?page_size=`): sounds no longer than that, shortest first.
    func list(_ request: Request, _ context: WebContext) async throws -> Response {
        var query = ""
        if let text = request.uri.queryParameters.get("maxduration") {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else { throw APIError(.badRequest, "maxduration must be a number of seconds.") }
            query = "dur:0..\(seconds)"
        }
        let pageSize = try SoundRoutes.pageSize(request)
        let page = try await sounds.loopd.call(LoopMethod.find, FindRequest(query: query, sort: .duration, limit: pageSize), for: context.account)
        return SoundJSON.page(page.records, count: nil, next: nil, base: sounds.links.base(of: request))
    }

    /// The one sound the account may read whose file has this name.
    func resolve(_ request: Request, _ context: WebContext) async throws -> SampleRecord {
        guard let name = request.uri.queryParameters.get("name"), !name.isEmpty, name.utf8.count <= 255, !name.contains("/") else {
            throw APIError(.badRequest, "Name the file: ?name=Kick.wav (its name only, no folder).")
        }
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: " ") + "\""
        let page = try await sounds.loopd.call(LoopMethod.find, FindRequest(query: "name:" + quoted, limit: FindRequest.maxLimit), for: context.account)
        let matches = page.records.filter { SoundJSON.nameAndFolder($0.path, in: $0.root).name.lowercased() == name.lowercased() }
        guard let first = matches.first else { throw APIError(.notFound, "No sound is named '\(name)'.") }
        guard matches.count == 1 else {
            throw APIError(.conflict, "\(matches.count) sounds are named '\(name)' (ids \(matches.prefix(10).map { String($0.id) }.joined(separator: ", "))); ask for one by id under /sounds.")
        }
        return first
    }
}
