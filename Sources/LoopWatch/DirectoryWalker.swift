#if canImport(Glibc)
import Glibc
#endif
import LoopCore

/// Walks a directory tree with `readdir`, skipping ignored names and never
/// following symbolic links.
struct DirectoryWalker {
    let rules: IgnoreRules
    var symlinks = SymlinkPolicy()

    private struct DirectoryIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// Calls `enterDirectory` before listing each directory (so a watch can be
    /// added before its contents are read) and `visitFile` for each regular
    /// file. A directory holding the ignore marker is entered (with `excluded`
    /// true, so it can be watched for the marker's removal) but not listed.
    func walk(
        _ directory: String,
        enterDirectory: (_ path: String, FileStat, _ excluded: Bool) -> Void,
        unreadable: (_ path: String, _ reason: String) -> Void = { _, _ in },
        wantsFile: (_ name: String) -> Bool = { _ in true },
        visitFile: (_ path: String, _ name: String, FileStat) -> Void
    ) {
        var pending = [directory]
        // Each directory is entered once, however many links lead to it: link loops end here.
        var visited = Set<DirectoryIdentity>()
        while let current = pending.popLast() {
            guard let stat = symlinks.stat(current), stat.kind == .directory,
                  visited.insert(DirectoryIdentity(device: stat.device, inode: stat.inode)).inserted else { continue }
            let excluded = rules.marker.map { FileStat.of(current + "/" + $0) != nil } ?? false
            enterDirectory(current, stat, excluded)
            if excluded { continue }
            guard let dir = FileName.withCString(current, { opendir($0) }) else {
                unreadable(current, String(cString: strerror(errno)))
                continue
            }
            defer { closedir(dir) }
            let directoryDescriptor = dirfd(dir)
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    FileName.decode(raw.prefix(while: { $0 != 0 }))
                }
                if name == "." || name == ".." || rules.ignores(name: name) { continue }
                // The entry's type spares a stat of files that are not wanted anyway.
                let type = entry.pointee.d_type
                let wanted = type == UInt8(DT_DIR) ? false : wantsFile(name)
                if type == UInt8(DT_REG) && !wanted { continue }
                let path = current == "/" ? "/" + name : current + "/" + name
                let own = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    raw.withMemoryRebound(to: CChar.self) { name in
                        name.baseAddress.flatMap { FileStat.of(entry: $0, in: directoryDescriptor) }
                    }
                }
                // A link is resolved (or not) by the policy; anything else is what it is.
                guard let stat = own?.kind == .symlink ? symlinks.stat(path) : own else { continue }
                switch stat.kind {
                case .directory: pending.append(path)
                case .regular: if wanted || (type == UInt8(DT_DIR) && wantsFile(name)) { visitFile(path, name, stat) }
                case .symlink, .other: continue
                }
            }
        }
    }
}
