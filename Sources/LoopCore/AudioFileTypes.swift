/// The file extensions indexed when the config does not name its own.
public enum AudioFileTypes {
    public static let defaultExtensions: [String] = ["wav", "wave", "aif", "aiff", "aifc", "flac", "ogg", "oga", "mp3"]

    /// The lower-cased extension of `name`, or nil when it has none.
    public static func fileExtension(of name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }
}
