#if canImport(Glibc)
import Glibc
#endif
import LoopCore

/// Walks a directory tree with `readdir`, skipping ignored names and never
/// following symbolic links unless the policy says so.
struct DirectoryWalker {
    let rules: IgnoreRules
    var symlinks = SymlinkPolicy()

    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// Calls `enterDirectory` before listing each directory (so a watch can be
    /// added before its contents are read) and `visitFile` for each regular
    /// file whose raw name passes `wantsFile`. A directory holding the ignore
    /// marker is entered (with `excluded` true, so it can be watched for the
    /// marker's removal) but not listed.
    func walk(
        _ directory: String,
        enterDirectory: (_ path: String, FileStat, _ excluded: Bool) -> Void,
        unreadable: (_ path: String, _ reason: String) -> Void = { _, _ in },
        wantsFile: (_ rawName: UnsafeRawBufferPointer) -> Bool = { _ in true },
        visitFile: (WalkedFile) -> Void
    ) {
        var pending = [directory]
        // Each directory is entered once, however many links lead to it: link loops end here.
        var visited = Set<DirectoryIdentity>()
        while var current = pending.popLast() {
            guard let stat = symlinks.stat(current), stat.kind == .directory,
                  visited.insert(DirectoryIdentity(device: stat.device, inode: stat.inode)).inserted else { continue }
            let dir = FileName.withCString(current) { opendir($0) }
            let failure = errno
            defer { if let dir { closedir(dir) } }
            let excluded = rules.marker.map { marker in
                guard let dir else { return FileStat.of(current + "/" + marker) != nil }
                return marker.withCString { FileStat.of(entry: $0, in: dirfd(dir)) } != nil
            } ?? false
            enterDirectory(current, stat, excluded)
            guard let dir else {
                unreadable(current, String(cString: strerror(failure)))
                continue
            }
            if excluded { continue }
            // Files are matched against the folder's bytes in place (see WalkedFile.hasPath).
            current.makeContiguousUTF8()
            list(dir, in: current, wantsFile: wantsFile, subdirectory: { pending.append($0) }, visitFile: visitFile)
        }
    }

    /// Where a `dirent`'s name starts. The name is read in place, up to its NUL: readdir's records
    /// are only as long as their name, so copying the whole 256-byte d_name field reads past the
    /// last record in the buffer.
    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19

    private func list(
        _ dir: OpaquePointer, in current: String,
        wantsFile: (UnsafeRawBufferPointer) -> Bool, subdirectory: (String) -> Void, visitFile: (WalkedFile) -> Void
    ) {
        let descriptor = dirfd(dir)
        while let entry = readdir(dir) {
            let cName = (UnsafeRawPointer(entry) + Self.nameOffset).assumingMemoryBound(to: CChar.self)
            let length = strnlen(cName, max(0, Int(entry.pointee.d_reclen) - Self.nameOffset))
            let name = UnsafeRawBufferPointer(start: UnsafeRawPointer(cName), count: length)
            if isDotOrDotDot(name) || rules.ignores(rawName: name) { continue }
            // The entry's type spares a stat of files that are not wanted anyway.
            let type = entry.pointee.d_type
            let wanted = type == UInt8(DT_DIR) ? false : wantsFile(name)
            if type == UInt8(DT_REG) && !wanted { continue }
            let own = FileStat.of(entry: cName, in: descriptor)
            let path = { WalkedFile.path(of: name, in: current) }
            // A link is resolved (or not) by the policy; anything else is what it is.
            guard let stat = own?.kind == .symlink ? symlinks.stat(path()) : own else { continue }
            switch stat.kind {
            case .directory:
                subdirectory(path())
            case .regular:
                if wanted || (type == UInt8(DT_DIR) && wantsFile(name)) {
                    visitFile(WalkedFile(directory: current, rawName: name, stat: stat))
                }
            case .symlink, .other:
                continue
            }
        }
    }

    private func isDotOrDotDot(_ name: UnsafeRawBufferPointer) -> Bool {
        name.count <= 2 && name.allSatisfy { $0 == UInt8(ascii: ".") } && !name.isEmpty
    }
}
