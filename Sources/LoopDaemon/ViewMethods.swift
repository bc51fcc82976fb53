import Foundation
import LoopCore
import LoopIndex
import LoopRPC

/// JSON-RPC methods of the views tree: saved searches and rebuilding.
struct ViewMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    struct ViewList: Codable, Sendable {
        /// Null when views are off in the config.
        var folder: String?
        var searches: [SavedView]
    }

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.views) { _, _ in
            let configured = (daemon.config.views?.searches ?? [:]).map { SavedView(name: $0.key, query: $0.value) }
            let saved = try await change { try await daemon.store.savedViews() }
            return ViewList(folder: daemon.config.views?.folder, searches: (configured + saved).sorted { $0.name < $1.name })
        }
        dispatcher.register(LoopMethod.viewAdd) { params, context in
            try access.caller(context).requireWriteAccess("a saved view")
            let view = try params.decode(SavedView.self)
            guard !view.name.trimmingCharacters(in: .whitespaces).isEmpty, !view.name.contains("/") else {
                throw RPCError(.invalidParams, "Invalid params: a view's name must be non-empty and contain no '/'.")
            }
            try await change { try await daemon.store.saveView(view) }
            return view
        }
        dispatcher.register(LoopMethod.viewRemove) { params, context in
            try access.caller(context).requireWriteAccess("a saved view")
            let view = try params.decode(NameParam.self)
            guard try await change({ try await daemon.store.removeView(named: view.name) }) else {
                throw RPCError(.noSuchFile, "No such view: no saved view is named '\(view.name)'\(daemon.config.views?.searches[view.name] != nil ? " (it is in the config file)" : "").")
            }
            return view
        }
        dispatcher.register(LoopMethod.viewsRebuild) { _, context in
            try access.caller(context).requireWriteAccess("rebuilding the views")
            guard let views = daemon.views else {
                throw RPCError(.invalidParams, "Views are off: set [views] enabled = true in loopd.toml.")
            }
            return try await change { try await views.publish(fromScratch: true) }
        }
    }

    struct NameParam: Codable, Sendable {
        var name: String
    }

    private func change<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw IndexErrors.rpcError(for: error)
        }
    }
}
