import Foundation
import LoopAPI
import LoopConfig
import LoopCore
import LoopIndex
import LoopRPC

/// JSON-RPC methods of the views tree: saved searches and rebuilding.
struct ViewMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.views) { _, _ in
            let configured = (daemon.config.views?.searches ?? [:]).map { SavedView(name: $0.key, query: $0.value) }
            let saved = try await IndexErrors.mapped { try await daemon.store.savedViews() }
            return ViewList(folder: daemon.config.views?.folder, searches: (configured + saved).sorted { $0.name < $1.name })
        }
        dispatcher.register(LoopMethod.viewAdd) { params, context in
            try await access.caller(context).requireWriteAccess("a saved view")
            let view = params
            guard !view.name.trimmingCharacters(in: .whitespaces).isEmpty, !view.name.contains("/") else {
                throw RPCError(.invalidParams, "Invalid params: a view's name must be non-empty and contain no '/'.")
            }
            try await IndexErrors.mapped { try await daemon.store.saveView(view) }
            return view
        }
        dispatcher.register(LoopMethod.viewRemove) { params, context in
            try await access.caller(context).requireWriteAccess("a saved view")
            let view = params
            guard try await IndexErrors.mapped({ try await daemon.store.removeView(named: view.name) }) else {
                throw RPCError(.noSuchFile, "No such view: no saved view is named '\(view.name)'\(daemon.config.views?.searches[view.name] != nil ? " (it is in the config file)" : "").")
            }
            return view
        }
        dispatcher.register(LoopMethod.viewsSync) { _, _ in
            guard let views = daemon.views else {
                throw RPCError(.invalidParams, "Views are off: set [views] enabled = true in loopd.toml.")
            }
            let started = ContinuousClock.now
            await views.waitUntilPublished()
            let failures = await views.failures
            if let first = failures.first {
                throw RPCError(.publishFailed, "The views are not up to date: \(first)" + (failures.count > 1 ? " (and \(failures.count - 1) more)" : "")
                    + " Under systemd, the unit must let loopd write the views folder (see systemd/README.md).")
            }
            return ViewsSyncReply(waitedMs: (ContinuousClock.now - started).milliseconds)
        }
        dispatcher.register(LoopMethod.viewsRebuild) { _, context in
            try await access.caller(context).requireWriteAccess("rebuilding the views")
            guard let views = daemon.views else {
                throw RPCError(.invalidParams, "Views are off: set [views] enabled = true in loopd.toml.")
            }
            return try await IndexErrors.mapped { try await views.publish(fromScratch: true) }
        }
    }
}
