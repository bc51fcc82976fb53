#if canImport(Glibc)
import Glibc
#endif

/// What `lstat` says about a path: enough to tell whether a file changed
/// (size and nanosecond mtime) and to follow it across renames (device, inode).
public struct FileStat: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case regular, directory, symlink, other }

    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time in nanoseconds since 1970.
    public var mtimeNs: Int64
    public var kind: Kind
    /// Hard links to the inode; more than one at creation means the name was made by link().
    public var linkCount: Int
    /// The owner's user id: for files dropped in over Samba, the Samba user.
    public var owner: UInt32

    public init(device: UInt64, inode: UInt64, size: Int64, mtimeNs: Int64, kind: Kind, linkCount: Int = 1, owner: UInt32 = 0) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNs = mtimeNs
        self.kind = kind
        self.linkCount = linkCount
        self.owner = owner
    }

    /// How long ago the file was last modified, by the wall clock.
    public var age: Duration {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nowNs = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        return .nanoseconds(nowNs - mtimeNs)
    }

    /// `lstat(path)`, or nil when the path does not exist or cannot be reached.
    public static func of(_ path: String) -> FileStat? {
        var info = stat()
        guard FileName.withCString(path, { lstat($0, &info) }) == 0 else { return nil }
        return FileStat(info)
    }

    /// `fstat(descriptor)`: what an open file is, whatever its path names now.
    public static func of(descriptor: Int32) -> FileStat? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return FileStat(info)
    }

    /// `fstatat(directory, name, AT_SYMLINK_NOFOLLOW)`: a directory entry's
    /// stat without resolving its whole path again, as a walk needs.
    public static func of(entry name: UnsafePointer<CChar>, in directory: Int32) -> FileStat? {
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return FileStat(info)
    }

    private init(_ info: stat) {
        let kind: Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symlink
        default: kind = .other
        }
        self.init(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            mtimeNs: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec), kind: kind,
            linkCount: Int(info.st_nlink), owner: UInt32(info.st_uid)
        )
    }

    /// Whether the content may differ: any of device, inode, size or mtime changed.
    public func differs(from other: FileStat) -> Bool {
        device != other.device || inode != other.inode || size != other.size || mtimeNs != other.mtimeNs
    }
}
