#if canImport(Glibc)
import Glibc
#endif

/// Whether and where symbolic links inside the library are followed.
///
/// By default links are not followed. When they are, a link whose target
/// lies outside every root is still skipped unless `followOutside` is set,
/// so nothing beyond the configured folders is indexed by accident.
public struct SymlinkPolicy: Sendable, Equatable {
    public var follow: Bool
    public var followOutside: Bool
    public var roots: [String]

    public init(follow: Bool = false, followOutside: Bool = false, roots: [String] = []) {
        self.follow = follow
        self.followOutside = followOutside
        self.roots = roots
    }

    /// What `path` is, following it when it is a link the policy allows;
    /// nil when it is missing or a link not to follow.
    public func stat(_ path: String) -> FileStat? {
        guard let own = FileStat.of(path) else { return nil }
        guard own.kind == .symlink else { return own }
        guard follow, let target = FileName.realPath(path) else { return nil }
        if !followOutside {
            let key = PathKey(target)
            guard roots.contains(where: { key.isWithin(PathKey($0)) }) else { return nil }
        }
        return FileStat.of(target)
    }
}
