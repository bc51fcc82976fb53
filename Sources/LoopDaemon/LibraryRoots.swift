import LoopCore
import Synchronization

/// The configured roots and whether each is present right now.
final class LibraryRoots: Sendable {
    let paths: [String]
    private let missing = Mutex(Set<String>())
    private let identities = Mutex([String: (device: UInt64, inode: UInt64)]())

    init(_ paths: [String]) {
        // Longest first, so the innermost root owns a path when roots nest.
        self.paths = paths.sorted { $0.count > $1.count }
    }

    /// The root that holds `path`, or nil when it is outside the library.
    func root(containing path: String) -> String? {
        paths.first { path == $0 || path.hasPrefix($0 == "/" ? "/" : $0 + "/") }
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
