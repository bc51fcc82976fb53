#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore

/// Keeps one views folder on disk equal to a set of entries, touching only
/// what differs. Each link is made under a hidden temporary name and renamed
/// into place, so clients never see a half-made entry; folders left empty go.
/// Deleting an entry (a link) never deletes the sample it points at.
public final class ViewFolderWriter {
    public struct Outcome: Sendable, Equatable {
        public var added = 0
        public var removed = 0
        public var unchanged = 0
        /// Entries that could not be made, as sentences (e.g. a hard link across file systems).
        public var failures: [String] = []
    }

    public let folder: String
    public let kind: ViewLinkKind
    private var published: [String: ViewEntry]?
    /// Folders known to exist, so each is made once rather than per entry.
    private var madeFolders = Set<String>()

    public init(folder: String, kind: ViewLinkKind) {
        self.folder = folder
        self.kind = kind
    }

    /// Throws away what is on disk and what was published: the next `publish` starts from nothing.
    public func reset() {
        try? FileManager.default.removeItem(atPath: folder)
        published = [:]
        madeFolders.removeAll()
    }

    public func publish(_ desired: [String: ViewEntry]) -> Outcome {
        var outcome = Outcome()
        let current = published ?? existingEntries()
        mkdirs(folder)
        var removedFolders = Set<String>()
        for path in current.keys where desired[path] == nil {
            unlinkEntry(path)
            outcome.removed += 1
            removedFolders.insert(parent(of: path))
        }
        var now = desired
        for (path, entry) in desired {
            if current[path] == entry {
                outcome.unchanged += 1
            } else if let failure = make(path, entry, replacing: current[path] != nil) {
                outcome.failures.append(failure)
                now[path] = nil
            } else {
                outcome.added += 1
            }
        }
        for folder in removedFolders.sorted(by: { $0.count > $1.count }) { removeEmptyFolders(from: folder) }
        if !removedFolders.isEmpty { madeFolders.removeAll() }
        published = now
        return outcome
    }

    /// What a previous run left: links read back (hard links by inode), so a restart rewrites nothing that is right.
    private func existingEntries() -> [String: ViewEntry] {
        var entries: [String: ViewEntry] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return entries }
        while let relative = walker.nextObject() as? String {
            let full = folder + "/" + relative
            guard let stat = FileStat.of(full) else { continue }
            switch (kind, stat.kind) {
            case (.symlink, .symlink):
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) else { continue }
                let absolute = ((parent(of: full) + "/" + target) as NSString).standardizingPath
                // The inode is checked when the entry is compared: symlinks follow a replaced file by name.
                entries[relative] = ViewEntry(target: absolute, inode: FileStat.of(absolute)?.inode ?? 0)
            case (.hardlink, .regular):
                entries[relative] = ViewEntry(target: "", inode: stat.inode)
            default:
                continue
            }
        }
        return entries
    }

    private func make(_ path: String, _ entry: ViewEntry, replacing: Bool) -> String? {
        let full = folder + "/" + path
        let directory = parent(of: full)
        if !madeFolders.contains(directory) {
            mkdirs(directory)
            madeFolders.insert(directory)
        }
        // A new name can be made in place (a link appears whole); replacing one goes through a temporary name.
        let temporary = replacing ? directory + "/.loopd-view-\(getpid()).tmp" : full
        if replacing { unlink(temporary) }
        let made: Int32
        switch kind {
        case .symlink:
            made = FileName.withCString(relativeTarget(from: directory, to: entry.target)) { target in
                FileName.withCString(temporary) { symlink(target, $0) }
            }
        case .hardlink:
            made = FileName.withCString(entry.target) { target in FileName.withCString(temporary) { link(target, $0) } }
        }
        guard made == 0 else {
            // Something not ours already has the name: replace it the safe way.
            if !replacing && errno == EEXIST { return make(path, entry, replacing: true) }
            return "Cannot link \(full) to \(entry.target): \(String(cString: strerror(errno)))."
        }
        guard replacing else { return nil }
        guard FileName.withCString(temporary, { from in FileName.withCString(full) { rename(from, $0) } }) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "Cannot put \(full) in place: \(reason)."
        }
        return nil
    }

    private func unlinkEntry(_ path: String) {
        _ = FileName.withCString(folder + "/" + path) { unlink($0) }
    }

    private func removeEmptyFolders(from relative: String) {
        var current = relative
        while !current.isEmpty {
            guard FileName.withCString(folder + "/" + current, { rmdir($0) }) == 0 else { return }
            current = parent(of: current)
        }
    }

    private func mkdirs(_ path: String) {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    private func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// `target` as seen from `directory`: "../../Drums/Kick.wav".
    func relativeTarget(from directory: String, to target: String) -> String {
        let from = directory.split(separator: "/"), to = target.split(separator: "/")
        var common = 0
        while common < min(from.count, to.count - 1), from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)).joined(separator: "/")
    }
}
