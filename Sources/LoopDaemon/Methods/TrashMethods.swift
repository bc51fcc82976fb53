import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC

/// Deleting by moving into the root's trash folder (`.Trash-openloop`), restoring, and emptying.
/// loopd plans and records; the caller moves the files (loopweb, or `loopctl` as a user who may
/// write the library), as with `add`: loopd itself needs no write access to the library.
struct TrashMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    /// Files one request may delete.
    static let maxFiles = 1000

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.trashPrepare) { selection, context in
            try await access.caller(context).requireWriteAccess("deleting files")
            guard let ids = selection.ids, selection.paths == nil, selection.query == nil, (1...Self.maxFiles).contains(ids.count) else {
                throw RPCError(.invalidParams, "Invalid params: name the files to delete by id, 1 to \(Self.maxFiles) of them.")
            }
            let now = Int64(Date().timeIntervalSince1970)
            var entries: [TrashPlan.Entry] = []
            for id in ids {
                guard let record = try await IndexErrors.mapped({ try await daemon.store.record(id: id) }), !record.offline,
                      let root = daemon.roots.root(containing: record.path)
                else {
                    throw RPCError(.noSuchFile, "No such file: \(id) is not an indexed file on disk.")
                }
                let name = (record.path as NSString).lastPathComponent
                entries.append(TrashPlan.Entry(id: id, path: record.path, trashPath: Self.folder(of: root) + "/\(now)-\(id)/" + name))
            }
            return TrashPlan(entries: entries)
        }
        dispatcher.register(LoopMethod.trashComplete) { plan, context in
            let caller = try await access.caller(context)
            try caller.requireWriteAccess("deleting files")
            var items: [TrashItem] = []
            for entry in plan.entries {
                guard let root = daemon.roots.root(containing: entry.path), entry.trashPath.hasPrefix(Self.folder(of: root) + "/"),
                      !entry.trashPath.contains("/../"), let moved = FileStat.of(entry.trashPath), FileStat.of(entry.path) == nil
                else {
                    throw RPCError(.invalidParams, "Invalid params: \(entry.path) was not moved to its root's trash folder.")
                }
                let record = try await IndexErrors.mapped { try await daemon.store.record(id: entry.id) }
                items.append(TrashItem(
                    id: 0, originalPath: entry.path, trashPath: entry.trashPath, root: root, size: moved.size, hash: record?.hash,
                    trashedAt: Date().timeIntervalSince1970, trashedBy: caller.account?.name ?? caller.name
                ))
            }
            let kept = try await IndexErrors.mapped { try await daemon.store.addTrashItems(items) }
            if let account = caller.account {
                let detail = kept.map(\.originalPath).joined(separator: "\n")
                try await IndexErrors.mapped { try await daemon.store.recordActivity(account: account.name, action: LoopMethod.trashComplete.name, detail: String(detail.prefix(1024))) }
            }
            return kept
        }
        dispatcher.register(LoopMethod.trashList) { request, context in
            try await access.caller(context).requireWriteAccess("reading the trash")
            return try await IndexErrors.mapped { try await daemon.store.trashItems(olderThan: request.olderThan) }
        }
        dispatcher.register(LoopMethod.trashRestore) { request, context in
            // The items, checked: each still in the trash, and its old place free.
            try await access.caller(context).requireWriteAccess("restoring files")
            let items = try await IndexErrors.mapped { try await daemon.store.trashItems(ids: request.ids) }
            guard items.count == Set(request.ids).count else { throw RPCError(.noSuchFile, "No such file: not every id names an item in the trash.") }
            for item in items {
                guard FileStat.of(item.trashPath) != nil else { throw RPCError(.noSuchFile, "No such file: \(item.trashPath) is no longer in the trash.") }
                guard FileStat.of(item.originalPath) == nil else { throw RPCError(.alreadyExists, "Already exists: a file is at \(item.originalPath) again.") }
            }
            return items
        }
        dispatcher.register(LoopMethod.trashForget) { request, context in
            try await access.caller(context).requireWriteAccess("emptying the trash")
            let changed = try await IndexErrors.mapped { try await daemon.store.forgetTrashItems(ids: request.ids) }
            return ChangeReply(files: request.ids.count, changed: changed)
        }
    }

    static func folder(of root: String) -> String {
        (root == "/" ? "" : root) + "/" + TrashItem.folderName
    }
}
