/// Paths below a library root.
public enum RelativePath {
    /// `path` below `root`, without the separating slash; `path` itself when it is not below `root`.
    public static func of(_ path: String, in root: String) -> String {
        guard PathKey(path).isWithin(PathKey(root)) else { return path }
        let dropped = root == "/" ? 1 : root.unicodeScalars.count + 1
        return String(String.UnicodeScalarView(path.unicodeScalars.dropFirst(dropped)))
    }
}
