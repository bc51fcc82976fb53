/// Names that are never indexed: hidden entries (which covers macOS `._*`
/// AppleDouble files, `.DS_Store`, `.Trash-*` and the daemon's own sync
/// cookies) and the junk that Windows leaves behind.
public struct IgnoreRules: Sendable {
    public static let standard = IgnoreRules()

    private let junkNames: Set<String> = ["thumbs.db", "desktop.ini", "$recycle.bin"]

    public init() {}

    public func ignores(name: String) -> Bool {
        name.hasPrefix(".") || name.hasPrefix("~$") || junkNames.contains(name.lowercased())
    }
}
