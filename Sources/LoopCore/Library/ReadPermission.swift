#if canImport(Glibc)
import Glibc
#endif

/// What a reader of the index may learn about files: what they could read on
/// disk (the default), or everything indexed (a library shared with everyone).
/// `[access] visibility` in the config.
public enum FileVisibility: String, Sendable, Equatable, CaseIterable {
    case permissions
    case everyone
}

/// Whether a user may read a file on disk: read permission on the file and
/// search permission on every folder above it, by owner, group and mode (as
/// the kernel decides for `open`; ACLs are not consulted). loopd answers what
/// the caller could learn by opening the file, and no more.
///
/// Folders are looked at once per instance, so checking a page of results costs
/// a few `stat` calls. Not thread-safe: make one per request.
public final class ReadPermission {
    /// Who is asking: a user and its groups, or everyone (only the "other" bits count).
    public enum Reader: Sendable, Equatable {
        case user(uid: UInt32, groups: Set<UInt32>)
        /// Whoever may read the share: the folder's group, or anyone.
        case group(UInt32)
        case anyone
    }

    private let reader: Reader
    private var folders: [String: Bool] = [:]

    public init(_ reader: Reader) {
        self.reader = reader
    }

    /// The reader of a request, with the groups the user database gives it.
    public convenience init(uid: UInt32, gid: UInt32) {
        self.init(.user(uid: uid, groups: UnixUsers.groups(of: uid, primary: gid)))
    }

    /// True when `reader` may read `path`. A path or folder that no longer exists
    /// (an offline file) is judged by the folders above it that still do.
    public func mayRead(_ path: String) -> Bool {
        if case let .user(uid, _) = reader, uid == 0 { return true }
        var end = path.endIndex
        var folder = path
        // Each folder, nearest first, until one is known.
        var unknown: [String] = []
        while let slash = path[..<end].lastIndex(of: "/") {
            folder = slash == path.startIndex ? "/" : String(path[..<slash])
            if let known = folders[folder] {
                if !known { return false }
                break
            }
            unknown.append(folder)
            if slash == path.startIndex { break }
            end = slash
        }
        // Outermost first: a folder is searchable only if the ones above it are.
        var searchable = true
        for folder in unknown.reversed() {
            if searchable, let info = Self.status(of: folder) {
                searchable = allows(info, 0o1)
            }
            folders[folder] = searchable
        }
        guard searchable else { return false }
        guard let info = Self.status(of: path) else { return true }
        return allows(info, 0o4)
    }

    /// Whether `mode` grants `bit` (4 read, 1 search) to the reader.
    private func allows(_ info: stat, _ bit: mode_t) -> Bool {
        switch reader {
        case let .user(uid, groups):
            if info.st_uid == uid { return info.st_mode & (bit << 6) != 0 }
            if groups.contains(info.st_gid) { return info.st_mode & (bit << 3) != 0 }
            return info.st_mode & bit != 0
        case let .group(gid):
            return info.st_mode & bit != 0 || (info.st_gid == gid && info.st_mode & (bit << 3) != 0)
        case .anyone:
            return info.st_mode & bit != 0
        }
    }

    private static func status(of path: String) -> stat? {
        var info = stat()
        let result: Int32 = FileName.withCString(path) { stat($0, &info) }
        return result == 0 ? info : nil
    }
}
