import LoopCore

/// The two-way map between watch descriptors and directory paths, compared
/// byte for byte (two folder names may differ only in Unicode normalization).
struct WatchTable {
    private(set) var pathByWatch: [Int32: String] = [:]
    private var watchByKey: [PathKey: Int32] = [:]

    var count: Int { pathByWatch.count }

    func watch(for path: String) -> Int32? { watchByKey[PathKey(path)] }

    mutating func insert(_ wd: Int32, path: String) {
        if let old = pathByWatch[wd] { watchByKey[PathKey(old)] = nil }
        pathByWatch[wd] = path
        watchByKey[PathKey(path)] = wd
    }

    mutating func remove(watch wd: Int32) {
        if let path = pathByWatch.removeValue(forKey: wd) { watchByKey[PathKey(path)] = nil }
    }

    /// The watches on `directory` and everything below it.
    func watches(under directory: String) -> [Int32] {
        let scope = PathKey(directory)
        return pathByWatch.compactMap { wd, path in PathKey(path).isWithin(scope) ? wd : nil }
    }

    /// Rewrites the paths of a moved directory and its subdirectories.
    mutating func move(_ from: String, to: String) {
        let scope = PathKey(from)
        for (wd, path) in pathByWatch where PathKey(path).isWithin(scope) {
            let rest = path.utf8.dropFirst(scope.path.utf8.count)
            insert(wd, path: to + (String(rest) ?? ""))
        }
    }
}
