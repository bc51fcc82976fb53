import Foundation
import LoopAPI
import LoopConfig
import LoopCore
import LoopIndex
import LoopRPC
import LoopWatch

/// The JSON-RPC methods that change library data: tags, favourites,
/// collections, adds and backups. Each knows its caller from the socket.
struct LibraryMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.whoami) { _, context in
            let caller = try await access.caller(context)
            return CallerReport(uid: caller.uid, user: caller.name, writer: caller.mayChangeShared)
        }
        dispatcher.register(LoopMethod.tag) { params, context in
            let caller = try await access.caller(context)
            return try await recorded(caller, LoopMethod.tag.name, params) { try await tag(params, caller) }
        }
        dispatcher.register(LoopMethod.favourite) { request, context in
            let caller = try await access.caller(context)
            return try await recorded(caller, LoopMethod.favourite.name, request) {
                try await IndexErrors.mapped { try await daemon.store.setFavourite(request.favourite, request.files, uid: caller.uid) }
            }
        }
        dispatcher.register(LoopMethod.collections) { _, context in
            try await IndexErrors.mapped { try await daemon.store.collections(uid: access.caller(context).uid) }
        }
        dispatcher.register(LoopMethod.collectionCreate) { params, context in
            let request = params
            let caller = try await access.caller(context)
            if request.shared == true { try caller.requireWriteAccess("a shared collection") }
            return try await recorded(caller, LoopMethod.collectionCreate.name, request) {
                try await IndexErrors.mapped { try await daemon.store.createCollection(name: request.name, shared: request.shared ?? false, uid: caller.uid) }
            }
        }
        dispatcher.register(LoopMethod.collectionDelete) { params, context in
            let request = params
            let caller = try await access.caller(context)
            return try await recorded(caller, LoopMethod.collectionDelete.name, request) {
                try await IndexErrors.mapped { try await daemon.store.deleteCollection(name: request.name, uid: caller.uid, mayChangeShared: caller.mayChangeShared) }
            }
        }
        dispatcher.register(LoopMethod.collectionAdd) { params, context in
            let caller = try await access.caller(context)
            return try await recorded(caller, LoopMethod.collectionAdd.name, params) { try await changeItems(params, remove: false, caller) }
        }
        dispatcher.register(LoopMethod.collectionRemove) { params, context in
            let caller = try await access.caller(context)
            return try await recorded(caller, LoopMethod.collectionRemove.name, params) { try await changeItems(params, remove: true, caller) }
        }
        dispatcher.register(LoopMethod.collectionShare) { params, context in
            let caller = try await access.caller(context)
            guard let shared = params.shared else { throw RPCError(.invalidParams, "Invalid params: give 'shared' (true or false).") }
            try caller.requireWriteAccess(shared ? "sharing a collection" : "making a shared collection private")
            return try await recorded(caller, LoopMethod.collectionShare.name, params) {
                try await IndexErrors.mapped { try await daemon.store.shareCollection(name: params.name, shared: shared, uid: caller.uid, mayChangeShared: caller.mayChangeShared) }
            }
        }
        dispatcher.register(LoopMethod.collectionMove) { params, context in
            let caller = try await access.caller(context)
            return try await recorded(caller, LoopMethod.collectionMove.name, params) {
                try await IndexErrors.mapped {
                    try await daemon.store.moveInCollection(
                        name: params.name, params.files, before: params.before, toStart: params.toStart ?? false, uid: caller.uid, mayChangeShared: caller.mayChangeShared
                    )
                }
            }
        }
        dispatcher.register(LoopMethod.collectionShow) { params, context in
            let request = params
            let caller = try await access.caller(context)
            var contents = try await IndexErrors.mapped { try await daemon.store.collectionContents(name: request.name, uid: caller.uid) }
            // A shared collection may hold files this caller cannot read: those are left out.
            if let permission = caller.readPermission() { contents.records.removeAll { !permission.mayRead($0.path) } }
            return contents
        }
        dispatcher.register(LoopMethod.addPrepare) { params, context in
            try await access.caller(context).requireWriteAccess("adding files")
            let planner = AddPlanner(
                roots: daemon.roots, templates: daemon.config.templates,
                filter: PathFilter(rules: daemon.config.ignore, extensions: daemon.config.extensions, symlinks: daemon.config.symlinks), store: daemon.store
            )
            return try await IndexErrors.mapped { try await planner.plan(params) }
        }
        dispatcher.register(LoopMethod.addComplete) { params, context in
            let caller = try await access.caller(context)
            try caller.requireWriteAccess("adding files")
            let plan = params
            for entry in plan.entries where daemon.roots.root(containing: entry.path) == nil {
                throw RPCError(.outsideLibrary, "Outside the library: \(entry.path) is not inside any library root.")
            }
            return try await recorded(caller, LoopMethod.addComplete.name, plan.entries.map(\.path)) {
                try await IndexErrors.mapped {
                _ = try await daemon.store.setOriginalNames(
                    Dictionary(plan.entries.map { ($0.path, $0.originalName) }) { first, _ in first }, uploadedBy: caller.account?.name
                )
                var records: [SampleRecord] = []
                for entry in plan.entries {
                    if let record = try await daemon.store.record(path: entry.path, uid: caller.uid) { records.append(record) }
                }
                return records
                }
            }
        }
        dispatcher.register(LoopMethod.backup) { _, context in
            // The copy holds every user's favourites and private collections: writers only.
            let caller = try await access.caller(context)
            // It holds password and token hashes too: never over the web.
            if caller.account != nil { throw RPCError(.permissionDenied, "Not allowed: a backup is taken on the server (loopctl backup), not over the web.") }
            try caller.requireWriteAccess("a backup (it holds every user's data)")
            return try await daemon.backups.create(for: caller.uid)
        }
        dispatcher.register(LoopMethod.backupRead) { params, context in
            try await daemon.backups.read(params, uid: access.caller(context).uid)
        }
        dispatcher.register(LoopMethod.backupFinish) { params, context in
            try await daemon.backups.finish(params.token, uid: access.caller(context).uid)
            return ChangeReply(files: 1, changed: 1)
        }
    }

    /// Runs a change and, when a web account made it, records who did what; the change's params
    /// are the detail, cut to a kilobyte.
    private func recorded<Result>(_ caller: Caller, _ action: String, _ detail: some Encodable, _ change: () async throws -> Result) async throws -> Result {
        let result = try await change()
        if let account = caller.account {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = (try? encoder.encode(detail)).map { String(decoding: $0.prefix(1024), as: UTF8.self) }
            try await IndexErrors.mapped { try await daemon.store.recordActivity(account: account.name, action: action, detail: text) }
        }
        return result
    }

    private func tag(_ request: TagRequest, _ caller: Caller) async throws -> ChangeReply {
        try caller.requireWriteAccess("tagging")
        var add: [String] = [], remove: [String] = []
        for tag in request.add {
            guard let normalised = tag.normalisedTag else { throw RPCError(.invalidParams, LibraryDataError.invalidTag(tag: tag).description) }
            add.append(normalised)
        }
        for tag in request.remove {
            guard let normalised = tag.normalisedTag else { throw RPCError(.invalidParams, LibraryDataError.invalidTag(tag: tag).description) }
            remove.append(normalised)
        }
        guard !add.isEmpty || !remove.isEmpty else { throw RPCError(.invalidParams, "Invalid params: name a tag to add or remove.") }
        if let folder = request.folder {
            guard folder.hasPrefix("/") else { throw RPCError(.invalidParams, "Invalid params: 'folder' must be absolute.") }
            let trimmed = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            guard daemon.roots.root(containing: trimmed) != nil else {
                throw RPCError(.outsideLibrary, "Outside the library: \(folder) is not inside any library root.")
            }
            return try await IndexErrors.mapped { try await daemon.store.tag(folder: trimmed, add: add, remove: remove) }
        }
        guard let files = request.files else { throw RPCError(.invalidParams, "Invalid params: give 'files' or 'folder'.") }
        return try await IndexErrors.mapped { try await daemon.store.tag(files, add: add, remove: remove, uid: caller.uid) }
    }

    private func changeItems(_ request: CollectionRequest, remove: Bool, _ caller: Caller) async throws -> ChangeReply {
        guard let files = request.files else { throw RPCError(.invalidParams, "Invalid params: give 'files' (ids or a query).") }
        return try await IndexErrors.mapped {
            try await daemon.store.changeCollection(name: request.name, files, remove: remove, uid: caller.uid, mayChangeShared: caller.mayChangeShared)
        }
    }
}
