/// The two-way map between watch descriptors and directory paths.
struct WatchTable {
    private(set) var pathByWatch: [Int32: String] = [:]
    private(set) var watchByPath: [String: Int32] = [:]

    var count: Int { pathByWatch.count }

    mutating func insert(_ wd: Int32, path: String) {
        if let old = pathByWatch[wd] { watchByPath[old] = nil }
        pathByWatch[wd] = path
        watchByPath[path] = wd
    }

    mutating func remove(watch wd: Int32) {
        if let path = pathByWatch.removeValue(forKey: wd) { watchByPath[path] = nil }
    }

    /// The watches on `directory` and everything below it.
    func watches(under directory: String) -> [Int32] {
        let prefix = directory + "/"
        return pathByWatch.compactMap { wd, path in path == directory || path.hasPrefix(prefix) ? wd : nil }
    }

    /// Rewrites the paths of a moved directory and its subdirectories.
    mutating func move(_ from: String, to: String) {
        let prefix = from + "/"
        for (wd, path) in pathByWatch where path == from || path.hasPrefix(prefix) {
            insert(wd, path: to + path.dropFirst(from.count))
        }
    }
}
