import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC
import Synchronization

/// `subscribe`: the index's changes as notifications on the caller's connection, from the change
/// log the index keeps, so a client that reconnects resumes where it stopped. A caller is told of
/// the files it may read (a removal carries only an id).
struct ChangeMethods: Sendable {
    let daemon: DaemonComponents
    let access: AccessPolicy

    func register(in dispatcher: inout RPCDispatcher) {
        dispatcher.register(LoopMethod.subscribe) { request, context in
            let caller = try await access.caller(context)
            guard let push = context.push else {
                throw RPCError(.invalidRequest, "Invalid request: subscribe needs a connection that stays open.")
            }
            let store = daemon.store
            let bounds = try await IndexErrors.mapped { try await store.changeBounds() }
            var start = bounds.latest
            var resumed = request.after == nil
            if let after = request.after, after <= bounds.latest, after >= (bounds.oldest ?? bounds.latest + 1) - 1 {
                start = after
                resumed = true
            }
            let feed = ChangeFeed(store: store, caller: caller, after: start)
            guard push.start({ await feed.next() }) else {
                throw RPCError(.invalidRequest, "Invalid request: this connection is already subscribed.")
            }
            return SubscribeReply(sequence: bounds.latest, resumed: resumed)
        }
    }
}

/// One subscriber's position in the change log; `next` gives its next notification line.
final class ChangeFeed: Sendable {
    private let store: IndexStore
    private let caller: Caller
    private let last: Mutex<Int64>

    init(store: IndexStore, caller: Caller, after sequence: Int64) {
        self.store = store
        self.caller = caller
        last = Mutex(sequence)
    }

    /// The next batch of changes this caller may see; an idle notice after
    /// `LibraryNotification.idleSeconds` without one; nil once cancelled or the index fails.
    func next() async -> Data? {
        while !Task.isCancelled {
            let seen = store.changeSignal.generation
            let after = last.withLock { $0 }
            let changes: [LibraryChange]
            do {
                let bounds = try await store.changeBounds()
                if let oldest = bounds.oldest, after < oldest - 1 {
                    // Pruned past this subscriber: it must load afresh.
                    last.withLock { $0 = bounds.latest }
                    return RPCPushSlot.notification(LibraryNotification.resync, LibraryNotification.Sequence(sequence: bounds.latest))
                }
                changes = try await store.changes(after: after, limit: LibraryNotification.batchLimit)
            } catch {
                return nil
            }
            if let newest = changes.last?.sequence {
                last.withLock { $0 = newest }
                let permission = caller.readPermission()
                var visible: [LibraryChange] = []
                for change in changes where change.path.map({ permission?.mayRead($0) ?? true }) ?? true {
                    // A move derives the name's fields again: one notice for the two writes.
                    if change.kind == .changed, let previous = visible.last, previous.id == change.id, previous.kind != .removed { continue }
                    visible.append(change)
                }
                if !visible.isEmpty { return RPCPushSlot.notification(LibraryNotification.changed, LibraryNotification.Changes(changes: visible)) }
                continue
            }
            if await !waitForChange(after: seen) {
                return RPCPushSlot.notification(LibraryNotification.idle, LibraryNotification.Sequence(sequence: after))
            }
        }
        return nil
    }

    /// True when the index changed, false after the idle time passed without a change.
    private func waitForChange(after seen: UInt64) async -> Bool {
        let signal = store.changeSignal
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await signal.wait(after: seen)
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(LibraryNotification.idleSeconds))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
