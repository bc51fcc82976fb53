/// Names for the views tree that every client can show: Windows refuses
/// `< > : " / \ | ? *`, control characters, trailing dots and spaces, and
/// device names such as CON or LPT1, so those are replaced.
enum ViewNames {
    private static let illegal: Set<Character> = ["<", ">", ":", "\"", "/", "\\", "|", "?", "*"]
    private static let reserved: Set<String> = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    /// A folder or file name safe on Windows and macOS clients; never empty.
    static func safe(_ name: String) -> String {
        var cleaned = String(name.map { character in
            illegal.contains(character) || character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? "_" : character
        })
        while cleaned.last == "." || cleaned.last == " " { cleaned.removeLast() }
        while cleaned.first == " " { cleaned.removeFirst() }
        if cleaned.isEmpty { cleaned = "_" }
        let stem = cleaned.split(separator: ".", maxSplits: 1).first.map(String.init) ?? cleaned
        if reserved.contains(stem.uppercased()) { cleaned = "_" + cleaned }
        // Most file systems allow 255 bytes per name.
        while cleaned.utf8.count > 240 { cleaned.removeLast() }
        return cleaned
    }

    /// `name` with " (n)" before its extension.
    static func numbered(_ name: String, _ number: Int) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\(name) (\(number))" }
        return "\(name[..<dot]) (\(number))\(name[dot...])"
    }
}
