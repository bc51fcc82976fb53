/// A key: tonic pitch class and mode, spelled the way sample packs and DJ
/// software spell it ("F#m", "Eb"), with its Camelot code ("11A", "5B").
public struct MusicalKey: Sendable, Hashable {
    /// 0 = C ... 11 = B.
    public var pitchClass: Int
    public var isMinor: Bool

    public init(pitchClass: Int, isMinor: Bool) {
        self.pitchClass = ((pitchClass % 12) + 12) % 12
        self.isMinor = isMinor
    }

    private static let majorNames = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    private static let minorNames = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"]
    /// Camelot numbers by pitch class: majors (B), then minors (A).
    static let majorCamelot = [8, 3, 10, 5, 12, 7, 2, 9, 4, 11, 6, 1]
    static let minorCamelot = [5, 12, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10]

    /// A note's pitch-class name as samplers write it, with sharps: "C#", not "Db".
    public static func noteName(pitchClass: Int) -> String {
        ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"][((pitchClass % 12) + 12) % 12]
    }

    public var name: String {
        isMinor ? Self.minorNames[pitchClass] + "m" : Self.majorNames[pitchClass]
    }

    public var camelot: String {
        isMinor ? "\(Self.minorCamelot[pitchClass])A" : "\(Self.majorCamelot[pitchClass])B"
    }

    /// The pitch class of a note name such as "C", "F#", "Bb", "E♭"; nil otherwise.
    public static func pitchClass(ofNote note: Substring) -> Int? {
        guard let letter = note.first, let natural = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11][letter.uppercased()] else { return nil }
        switch note.dropFirst() {
        case "": return natural
        case "#", "♯": return (natural + 1) % 12
        case "b", "♭": return (natural + 11) % 12
        default: return nil
        }
    }

    /// Parses "Am", "F#min", "Ebmaj", "C#", "Bbm", "A minor" (one string). Nil when it is not a key.
    public init?(parsing text: String) {
        let words = text.split(separator: " ")
        guard let first = words.first, words.count <= 2 else { return nil }
        var notePart = first
        var modePart = words.count == 2 ? words[1] : Substring("")
        if words.count == 1 {
            // Split the note (letter and optional accidental) from a glued mode.
            let noteLength = first.count >= 2 && ["#", "♯", "b", "♭"].contains(first.dropFirst().first ?? " ") ? 2 : 1
            notePart = first.prefix(noteLength)
            modePart = first.dropFirst(noteLength)
        }
        guard let pitch = Self.pitchClass(ofNote: notePart) else { return nil }
        switch modePart.lowercased() {
        case "": self.init(pitchClass: pitch, isMinor: false)
        case "maj", "major": self.init(pitchClass: pitch, isMinor: false)
        case "m", "min", "minor", "mi": self.init(pitchClass: pitch, isMinor: true)
        default: return nil
        }
        // "M" alone conventionally means major; the lower-cased switch took it as minor.
        if modePart == "M" { isMinor = false }
    }
}

extension MusicalKey {
    /// Parses a Camelot code such as "8A" (minor) or "12B" (major).
    public init?(camelot text: String) {
        let upper = text.uppercased()
        guard let letter = upper.last, letter == "A" || letter == "B", let number = Int(upper.dropLast()), (1...12).contains(number) else { return nil }
        let table = letter == "A" ? Self.minorCamelot : Self.majorCamelot
        guard let pitch = table.firstIndex(of: number) else { return nil }
        self.init(pitchClass: pitch, isMinor: letter == "A")
    }

    /// A key name or a Camelot code.
    public init?(nameOrCamelot text: String) {
        if let key = MusicalKey(camelot: text) { self = key } else if let key = MusicalKey(parsing: text) { self = key } else { return nil }
    }

    /// The keys a DJ mixes into harmonically: itself, its relative (same
    /// number, other letter) and its neighbours on the wheel (one up, one down).
    public var compatibleKeys: [MusicalKey] {
        let number = (isMinor ? Self.minorCamelot : Self.majorCamelot)[pitchClass]
        // The relative key shares the number; the neighbours share the letter.
        func key(_ number: Int, minor: Bool) -> MusicalKey? {
            (minor ? Self.minorCamelot : Self.majorCamelot).firstIndex(of: number).map { MusicalKey(pitchClass: $0, isMinor: minor) }
        }
        return [self] + [key(number, minor: !isMinor), key(number % 12 + 1, minor: isMinor), key((number + 10) % 12 + 1, minor: isMinor)].compactMap { $0 }
    }
}
