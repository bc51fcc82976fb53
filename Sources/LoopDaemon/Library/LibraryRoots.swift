import LoopCore
import Synchronization

/// The configured roots and whether each is present right now.
final class LibraryRoots: Sendable {
    private let current: Mutex<[String]>
    private let missing = Mutex(Set<String>())
    private let identities = Mutex([String: (device: UInt64, inode: UInt64)]())

    init(_ paths: [String]) {
        current = Mutex(Self.ordered(paths))
    }

    /// Longest first, so the innermost root owns a path when roots nest.
    private static func ordered(_ paths: [String]) -> [String] {
        Array(Set(paths)).sorted { $0.count > $1.count || ($0.count == $1.count && $0 < $1) }
    }

    var paths: [String] { current.withLock { $0 } }

    /// Takes a new set of roots (a reloaded config); returns what changed.
    func replace(with paths: [String]) -> (added: [String], removed: [String]) {
        let new = Self.ordered(paths)
        let old = current.withLock { old in
            defer { old = new }
            return old
        }
        let removed = old.filter { !new.contains($0) }
        missing.withLock { set in for root in removed { set.remove(root) } }
        identities.withLock { map in for root in removed { map.removeValue(forKey: root) } }
        return (new.filter { !old.contains($0) }, removed)
    }

    /// The root that holds `path`, or nil when it is outside the library.
    func root(containing path: String) -> String? {
        let paths = self.paths
        return paths.first { path == $0 || path.hasPrefix($0 == "/" ? "/" : $0 + "/") }
    }

    func setMissing(_ root: String, _ isMissing: Bool) {
        missing.withLock { set in
            if isMissing { set.insert(root) } else { set.remove(root) }
        }
    }

    /// Records a root as present, with the device and inode it was found on.
    func setPresent(_ root: String, identity: FileStat) {
        setMissing(root, false)
        identities.withLock { $0[root] = (identity.device, identity.inode) }
    }

    /// The device and inode the root had when last scanned.
    func identity(of root: String) -> (device: UInt64, inode: UInt64)? {
        identities.withLock { $0[root] }
    }

    var missingRoots: Set<String> { missing.withLock { $0 } }
}
