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

    // Patterns sorted by shape, so the common ones cost a set lookup or a
    // suffix test rather than fnmatch: this runs for every name in a scan.
    private var exactNames: Set<String> = []
    private var exactNameBytes: [[UInt8]] = []
    private var markerBytes: [UInt8]?
    private var suffixes: [[UInt8]] = []
    private var prefixes: [[UInt8]] = []
    private var globs: [String] = []

    public init(patterns: [String] = IgnoreRules.defaultPatterns, skipHidden: Bool = true, marker: String? = IgnoreRules.defaultMarker) {
        self.patterns = patterns
        self.skipHidden = skipHidden
        self.marker = marker
        markerBytes = marker.map { Array($0.utf8) }
        let special: Set<Character> = ["*", "?", "["]
        for pattern in patterns.map({ $0.lowercased() }) {
            let wildcards = pattern.filter { special.contains($0) }
            if wildcards.isEmpty {
                exactNames.insert(pattern)
                exactNameBytes.append(Array(pattern.utf8))
            } else if wildcards == "*" && pattern.hasPrefix("*") {
                suffixes.append(Array(pattern.dropFirst().utf8))
            } else if wildcards == "*" && pattern.hasSuffix("*") {
                prefixes.append(Array(pattern.dropLast().utf8))
            } else {
                globs.append(pattern)
            }
        }
    }

    public static func == (lhs: IgnoreRules, rhs: IgnoreRules) -> Bool {
        lhs.patterns == rhs.patterns && lhs.skipHidden == rhs.skipHidden && lhs.marker == rhs.marker
    }

    public func ignores(name: String) -> Bool {
        if skipHidden && name.hasPrefix(".") { return true }
        if name == marker { return true }
        let lowered = name.lowercased()
        if exactNames.contains(lowered) { return true }
        // Byte comparisons: String's own prefix tests walk grapheme clusters.
        let bytes = Array(lowered.utf8)
        if suffixes.contains(where: { bytes.count >= $0.count && bytes[(bytes.count - $0.count)...].elementsEqual($0) }) { return true }
        if prefixes.contains(where: { bytes.starts(with: $0) }) { return true }
        return globs.contains { fnmatch($0, lowered, 0) == 0 }
    }

    /// `ignores(name:)` for a name's raw bytes, as a directory listing gives them.
    public func ignores(rawName name: UnsafeRawBufferPointer) -> Bool {
        if skipHidden && name.first == UInt8(ascii: ".") { return true }
        if let markerBytes, name.elementsEqual(markerBytes) { return true }
        let verdict = RawNameMatching.withLowercasedASCII(name) { lowered -> Bool in
            if exactNameBytes.contains(where: { RawNameMatching.equal(lowered, $0) }) { return true }
            if suffixes.contains(where: { RawNameMatching.hasSuffix(lowered, $0) }) { return true }
            if prefixes.contains(where: { RawNameMatching.hasPrefix(lowered, $0) }) { return true }
            guard let base = lowered.baseAddress, !globs.isEmpty else { return false }
            // The buffer is NUL-terminated one past its count.
            return base.withMemoryRebound(to: CChar.self, capacity: lowered.count + 1) { name in
                globs.contains { fnmatch($0, name, 0) == 0 }
            }
        }
        return verdict ?? ignores(name: FileName.decode(name))
    }
}
