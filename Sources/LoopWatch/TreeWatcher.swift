#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import LoopCore
import Synchronization

/// Recursive inotify watching of the library roots.
///
/// One thread reads the kernel's single ordered event queue and turns it into
/// `FileChange`s, in order, on the handler given to `start`. New directories are watched before
/// they are listed, so files copied in with them are not missed. A rename's two
/// halves are paired by cookie; a half left alone after `pairingWindow` becomes
/// a removal.
public final class TreeWatcher: Sendable {
    public typealias Handler = @Sendable (FileChange) -> Void

    private struct PendingMove {
        var path: String
        var isDirectory: Bool
        var accepted: Bool
        var deadline: ContinuousClock.Instant
    }

    private struct State {
        var table = WatchTable()
        var pendingMoves: [UInt32: PendingMove] = [:]
        var failures: [WatchError] = []
        var stopping = false
        /// Watched only to notice their ignore marker going away.
        var excluded: Set<String> = []
        /// Folders left unwatched because the watch limit was reached.
        var unwatched: Set<String> = []
        /// Folders that could not be listed, with why.
        var unreadable: [String: String] = [:]
        var limitLogged = false
        var roots: Set<String>
    }

    private let inotify: Inotify
    private let state: Mutex<State>
    private let filter: PathFilter
    /// Set by `start`: the parts that take the changes may be built after the watcher (the
    /// scanner needs the watcher, and the changes need the scanner).
    private let handler = Mutex<Handler?>(nil)
    private let finished = DispatchSemaphore(value: 0)
    private let pairingWindow: Duration
    private let watchLimit: Int?
    /// Receives a line per raw event, for debugging.
    private let trace: (@Sendable (String) -> Void)?

    public init(
        roots: [String], filter: PathFilter, pairingWindow: Duration = .milliseconds(100),
        watchLimit: Int? = nil, trace: (@Sendable (String) -> Void)? = nil
    ) throws(WatchError) {
        inotify = try Inotify()
        self.trace = trace
        self.watchLimit = watchLimit
        state = Mutex(State(roots: Set(roots)))
        self.filter = filter
        self.pairingWindow = pairingWindow
    }

    /// Starts the event thread, which gives each change to `handler`.
    public func start(handler: @escaping Handler) {
        self.handler.withLock { $0 = handler }
        let thread = Thread { [self] in
            self.eventLoop()
            self.finished.signal()
        }
        thread.name = "loopd-watcher"
        thread.start()
    }

    private func emit(_ change: FileChange) {
        handler.withLock { $0 }?(change)
    }

    /// Stops the event thread and waits for it to end.
    public func stop() {
        let wasRunning = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard wasRunning else { return }
        inotify.wake()
        finished.wait()
    }

    /// Starts treating `root` as a library root (its tree is watched when it is scanned).
    public func addRoot(_ root: String) {
        state.withLock { _ = $0.roots.insert(root) }
    }

    /// Stops watching `root` and everything below it.
    public func removeRoot(_ root: String) {
        let watches = state.withLock { state -> [Int32] in
            state.roots.remove(root)
            let watches = state.table.watches(under: root)
            for watch in watches { state.table.remove(watch: watch) }
            state.unwatched = state.unwatched.filter { !PathKey($0).isWithin(PathKey(root)) }
            state.excluded = state.excluded.filter { !PathKey($0).isWithin(PathKey(root)) }
            return watches
        }
        for watch in watches { inotify.removeWatch(watch) }
    }

    public var watchCount: Int { state.withLock { $0.table.count } }

    /// Watches that could not be added, most recent last.
    public var failures: [WatchError] { state.withLock { $0.failures } }

    /// Watches `directory` and every directory below it, calling `visitFile`
    /// for each supported file. Safe to call from any thread.
    public func watchTree(
        _ directory: String,
        enterDirectory: (String, FileStat) -> Void = { _, _ in },
        visitFile: (WalkedFile) -> Void
    ) {
        let walker = DirectoryWalker(rules: filter.rules, symlinks: filter.symlinks)
        walker.walk(directory, enterDirectory: { path, stat, excluded in
            self.addWatch(path)
            state.withLock { state in
                if excluded { state.excluded.insert(path) } else if !state.excluded.isEmpty { state.excluded.remove(path) }
                if !state.unreadable.isEmpty { state.unreadable.removeValue(forKey: path) }
            }
            enterDirectory(path, stat)
        }, unreadable: { path, reason in
            state.withLock { $0.unreadable[path] = reason }
        }, wantsFile: { name in
            // The walker has applied the ignore rules already.
            filter.extensions.matches(rawName: name)
        }, visitFile: visitFile)
    }

    /// Folders that could not be listed (permissions), with the reason. Not retried until the next scan.
    public var unreadableDirectories: [String: String] { state.withLock { $0.unreadable } }

    /// Folders that could not be watched because the watch limit was reached; they must be polled.
    public var unwatchedDirectories: [String] { state.withLock { $0.unwatched.sorted() } }

    /// Whether the first watch-limit failure still needs logging (true once).
    public func takeLimitNotice() -> Bool {
        state.withLock { state in
            guard !state.unwatched.isEmpty, !state.limitLogged else { return false }
            state.limitLogged = true
            return true
        }
    }

    private func addWatch(_ path: String) {
        do throws(WatchError) {
            if let watchLimit {
                let (known, count) = state.withLock { ($0.table.watch(for: path) != nil, $0.table.count) }
                if !known && count >= watchLimit { throw WatchError.limitReached(path: path) }
            }
            let wd = try inotify.addWatch(path, throughLinks: filter.symlinks.follow)
            state.withLock { state in
                state.table.insert(wd, path: path)
                state.unwatched.remove(path)
            }
        } catch {
            state.withLock { state in
                if case .limitReached = error { state.unwatched.insert(path) }
                state.failures.append(error)
                if state.failures.count > 100 { state.failures.removeFirst() }
            }
        }
    }

    private func eventLoop() {
        while true {
            let timeout = nextTimeoutMs()
            guard let events = inotify.read(timeoutMs: timeout) else { return }
            for event in events { handle(event) }
            flushMoves(expiredBy: .now)
        }
    }

    private func nextTimeoutMs() -> Int32 {
        let earliest = state.withLock { $0.pendingMoves.values.map(\.deadline).min() }
        guard let earliest else { return -1 }
        let milliseconds = (earliest - ContinuousClock.now).milliseconds.rounded(.up) + 1
        return Int32(max(0, min(milliseconds, 10_000)))
    }

    private func handle(_ event: InotifyEvent) {
        let mask = event.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            emit(.overflow)
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            state.withLock { $0.table.remove(watch: event.watch) }
            return
        }
        let known = state.withLock { $0.table.pathByWatch[event.watch] }
        trace?("event wd=\(event.watch) mask=0x\(String(mask, radix: 16)) cookie=\(event.cookie) \(known ?? "?")/\(event.name)")
        guard let directory = known else { return }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT) != 0 {
            if state.withLock({ $0.roots.contains(directory) }) { emit(.rootVanished(path: directory)) }
            return
        }
        let name = event.name
        let path = directory + "/" + name
        let isDirectory = mask & UInt32(IN_ISDIR) != 0

        if name.hasPrefix(PathFilter.cookiePrefix) {
            if mask & UInt32(IN_CREATE) != 0 {
                // Both halves of any rename made before the cookie have arrived by now.
                flushMoves(expiredBy: nil)
                emit(.cookie(name: name))
            }
            return
        }
        if let marker = filter.rules.marker, name == marker, !isDirectory {
            markerChanged(in: directory, present: mask & UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE) != 0)
            return
        }
        if state.withLock({ $0.excluded.contains(directory) }) { return }
        if !isDirectory, mask & UInt32(IN_CREATE) != 0, filter.symlinks.follow, filter.acceptsDirectory(named: name),
           FileStat.of(path)?.kind == .symlink, filter.symlinks.stat(path)?.kind == .directory {
            // A link to a folder, which the policy lets us follow: index what it leads to.
            appeared(path, isDirectory: true)
            return
        }
        let accepted = isDirectory ? filter.acceptsDirectory(named: name) : filter.acceptsFile(named: name)

        if mask & UInt32(IN_MOVED_FROM) != 0 {
            let move = PendingMove(path: path, isDirectory: isDirectory, accepted: accepted, deadline: .now + pairingWindow)
            state.withLock { $0.pendingMoves[event.cookie] = move }
            return
        }
        if mask & UInt32(IN_MOVED_TO) != 0 {
            let source = state.withLock { $0.pendingMoves.removeValue(forKey: event.cookie) }
            if let source {
                completeMove(from: source, to: path, toAccepted: accepted)
            } else if accepted {
                appeared(path, isDirectory: isDirectory)
            }
            return
        }
        guard accepted else { return }
        if isDirectory {
            if mask & UInt32(IN_CREATE) != 0 { appeared(path, isDirectory: true) }
            if mask & UInt32(IN_DELETE) != 0 { emit(.directoryRemoved(path: path)) }
        } else {
            if mask & UInt32(IN_CREATE) != 0 {
                // A second link means link() named an existing, complete file; so is a new symlink.
                let own = FileStat.of(path)
                let linked = own?.kind == .symlink || (own?.linkCount ?? 1) > 1
                emit(linked ? .fileChanged(path: path) : .fileCreated(path: path))
            }
            if mask & UInt32(IN_CLOSE_WRITE) != 0 { emit(.fileChanged(path: path)) }
            if mask & UInt32(IN_DELETE) != 0 { emit(.fileRemoved(path: path)) }
        }
    }

    /// A folder gained its ignore marker (drop what is below it) or lost it (index it now).
    private func markerChanged(in directory: String, present: Bool) {
        if present {
            let (newlyExcluded, watches) = state.withLock { state -> (Bool, [Int32]) in
                guard state.excluded.insert(directory).inserted else { return (false, []) }
                // Keep the folder's own watch, to see the marker go.
                let watches = state.table.watches(under: directory).filter { state.table.pathByWatch[$0] != directory }
                for wd in watches { state.table.remove(watch: wd) }
                return (true, watches)
            }
            for wd in watches { inotify.removeWatch(wd) }
            if newlyExcluded { emit(.directoryRemoved(path: directory)) }
        } else if state.withLock({ $0.excluded.remove(directory) != nil }) {
            appeared(directory, isDirectory: true)
        }
    }

    private func appeared(_ path: String, isDirectory: Bool) {
        if isDirectory {
            watchTree(path) { file in emit(.fileChanged(path: file.path)) }
        } else {
            emit(.fileChanged(path: path))
        }
    }

    private func completeMove(from source: PendingMove, to path: String, toAccepted: Bool) {
        switch (source.accepted, toAccepted) {
        case (true, true):
            if source.isDirectory {
                state.withLock { state in
                    state.table.move(source.path, to: path)
                    let prefix = source.path + "/"
                    let moved = state.excluded.filter { $0 == source.path || $0.hasPrefix(prefix) }
                    for old in moved {
                        state.excluded.remove(old)
                        state.excluded.insert(path + old.dropFirst(source.path.count))
                    }
                }
                emit(.directoryMoved(from: source.path, to: path))
            } else {
                emit(.fileMoved(from: source.path, to: path))
            }
        case (true, false):
            vanished(source)
        case (false, true):
            appeared(path, isDirectory: source.isDirectory)
        case (false, false):
            break
        }
    }

    private func vanished(_ move: PendingMove) {
        guard move.accepted else { return }
        if move.isDirectory {
            let watches = state.withLock { state -> [Int32] in
                let watches = state.table.watches(under: move.path)
                for wd in watches { state.table.remove(watch: wd) }
                return watches
            }
            for wd in watches { inotify.removeWatch(wd) }
            emit(.directoryRemoved(path: move.path))
        } else {
            emit(.fileRemoved(path: move.path))
        }
    }

    /// Turns unpaired rename halves into removals: those past their deadline, or all when `instant` is nil.
    private func flushMoves(expiredBy instant: ContinuousClock.Instant?) {
        let expired = state.withLock { state -> [PendingMove] in
            let keys = state.pendingMoves.filter { entry in instant.map { entry.value.deadline <= $0 } ?? true }.map(\.key)
            return keys.compactMap { state.pendingMoves.removeValue(forKey: $0) }
        }
        for move in expired.sorted(by: { $0.deadline < $1.deadline }) { vanished(move) }
    }
}
