/// Tells whether a file name ends in one of a set of extensions, compared
/// case-insensitively, from a `String` or from a name's raw bytes.
public struct ExtensionMatcher: Sendable, Equatable {
    public let extensions: Set<String>
    private let extensionBytes: [[UInt8]]

    public init(_ extensions: Set<String>) {
        self.extensions = Set(extensions.map { $0.lowercased() })
        extensionBytes = self.extensions.map { Array($0.utf8) }
    }

    public func matches(name: String) -> Bool {
        guard let ext = AudioFileTypes.fileExtension(of: name) else { return false }
        return extensions.contains(ext)
    }

    /// `matches(name:)` for raw name bytes.
    public func matches(rawName name: UnsafeRawBufferPointer) -> Bool {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < name.count - 1 else { return false }
        let ext = UnsafeRawBufferPointer(rebasing: name[(dot + 1)...])
        let verdict = RawNameMatching.withLowercasedASCII(ext) { lowered in
            extensionBytes.contains { RawNameMatching.equal(lowered, $0) }
        }
        return verdict ?? matches(name: FileName.decode(name))
    }
}
