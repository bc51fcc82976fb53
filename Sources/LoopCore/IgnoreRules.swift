#if canImport(Glibc)
import Glibc
#endif

/// Names that are never indexed, and the marker file that excludes a folder.
///
/// The defaults cover what file-sharing clients leave behind: macOS
/// AppleDouble `._*` files and `.DS_Store`, Windows' `Thumbs.db`,
/// `desktop.ini` and `$RECYCLE.BIN`, Office's `~$*` lock files, partial
/// downloads (`*.part`, `*.crdownload`, `*.tmp`), rsync's `.name.XXXXXX`
/// temporaries and trash folders. Hidden names (a leading dot) are skipped too.
public struct IgnoreRules: Sendable, Equatable {
    public static let defaultPatterns = [
        "._*", ".DS_Store", "Thumbs.db", "desktop.ini", "$RECYCLE.BIN", "~$*", "*.part", "*.tmp",
        "*.crdownload", ".Trash-*", ".git", ".*.[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]",
    ]
    public static let defaultMarker = ".loopignore"
    public static let standard = IgnoreRules()

    /// Shell-style patterns (`*`, `?`, `[...]`), matched case-insensitively against a single name.
    public var patterns: [String]
    public var skipHidden: Bool
    /// A folder holding a file of this name is not indexed, nor anything below it.
    public var marker: String?

    private var loweredPatterns: [String]

    public init(patterns: [String] = IgnoreRules.defaultPatterns, skipHidden: Bool = true, marker: String? = IgnoreRules.defaultMarker) {
        self.patterns = patterns
        self.skipHidden = skipHidden
        self.marker = marker
        loweredPatterns = patterns.map { $0.lowercased() }
    }

    public func ignores(name: String) -> Bool {
        if skipHidden && name.hasPrefix(".") { return true }
        if name == marker { return true }
        let lowered = name.lowercased()
        return loweredPatterns.contains { fnmatch($0, lowered, 0) == 0 }
    }
}
