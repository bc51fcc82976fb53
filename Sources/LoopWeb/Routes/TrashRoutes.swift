#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import LoopAPI
import LoopCore
import LoopFiles

/// `DELETE /sounds/{id}` moves the file into its root's trash folder (never unlinks it);
/// `GET /trash` lists what is there, `POST /trash/{id}/restore` puts one back. Writers only.
struct TrashRoutes: Sendable {
    let loopd: LoopdGateway
    let links: PublicLinks

    func add(to group: RouterGroup<WebContext>) {
        group.delete("sounds/:id") { _, context in try await delete(context) }
        group.get("trash") { _, context in try await list(context) }
        group.post("trash/:id/restore") { request, context in try await restore(request, context) }
    }

    func delete(_ context: WebContext) async throws -> Response {
        try await delete(id: SoundRoutes.id(context), for: context.account)
    }

    func delete(id: Int64, for account: Account?) async throws -> Response {
        let plan = try await loopd.call(LoopMethod.trashPrepare, FileSelection(ids: [id]), for: account)
        for entry in plan.entries { try Self.move(entry.path, to: entry.trashPath) }
        let items = try await loopd.call(LoopMethod.trashComplete, plan, for: account)
        _ = try await loopd.call(LoopMethod.sync, NoParams())
        var text = "{\"trash\":["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            Self.write(item, to: &text)
        }
        return SoundJSON.response(text + "]}")
    }

    func list(_ context: WebContext) async throws -> Response {
        let items = try await loopd.call(LoopMethod.trashList, TrashListRequest(), for: context.account)
        var text = "{\"count\":\(items.count),\"results\":["
        for (index, item) in items.enumerated() {
            if index > 0 { text += "," }
            Self.write(item, to: &text)
        }
        return SoundJSON.response(text + "]}")
    }

    func restore(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError(.badRequest, "A trash item is named by its id, a positive number.")
        }
        let items = try await loopd.call(LoopMethod.trashRestore, TrashItemsRequest(ids: [id]), for: context.account)
        for item in items { try Self.move(item.trashPath, to: item.originalPath) }
        _ = try await loopd.call(LoopMethod.trashForget, TrashItemsRequest(ids: [id]), for: context.account)
        _ = try await loopd.call(LoopMethod.sync, NoParams())
        guard let item = items.first else { throw APIError(.notFound, "No such item in the trash.") }
        let record = try await loopd.call(LoopMethod.get, FileReference(path: item.originalPath), for: context.account)
        var reply = ""
        SoundJSON.write(record, base: links.base(of: request), to: &reply)
        return SoundJSON.response(reply)
    }

    /// Moves a file without ever replacing one (`NoReplaceMove`), as an HTTP error when it cannot.
    static func move(_ source: String, to destination: String) throws {
        do {
            try NoReplaceMove.move(source, to: destination)
        } catch .destinationExists {
            throw APIError(.conflict, "A file is already at the place it would go.")
        } catch let .failed(error) {
            throw APIError(.internalServerError, "Cannot move \((source as NSString).lastPathComponent): \(error.reason).")
        }
    }

    /// A trash item without server paths: its name and folder inside the library.
    static func write(_ item: TrashItem, to text: inout String) {
        let (name, folder) = SoundJSON.nameAndFolder(item.originalPath, in: item.root)
        text += "{\"id\":\(item.id),\"name\":" + JSONLiteral.string(name) + ",\"folder\":" + JSONLiteral.string(folder)
        text += ",\"size\":\(item.size),\"hash\":" + JSONLiteral.string(item.hash) + ",\"deleted\":\(Int64(item.trashedAt))"
        text += ",\"deleted_by\":" + JSONLiteral.string(item.trashedBy) + "}"
    }
}
