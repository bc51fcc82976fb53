/// What a sample's file and folder names say about it: tempo, key, loop or
/// one-shot, and instrument words ("Loop_124_Am", "125 BPM D Min",
/// "One Shots/Snares/Snare_Tight_03").
///
/// Names are evidence, not truth: the analysis decides whether they fit the
/// audio (a tempo must fit the file's length, a one-shot has no tempo).
public struct NameHints: Sendable, Equatable {
    public var bpm: Double?
    public var key: MusicalKey?
    public var type: SampleType?
    /// Whether each came from the file's own name or from a folder's.
    public var bpmSource: EvidenceSource = .filename
    public var keySource: EvidenceSource = .filename
    public var typeSource: EvidenceSource = .filename
    /// Instrument words found, canonical and lower case ("kick", "bass", "vocal").
    public var instruments: [String] = []

    public init(bpm: Double? = nil, key: MusicalKey? = nil, type: SampleType? = nil, instruments: [String] = []) {
        self.bpm = bpm
        self.key = key
        self.type = type
        self.instruments = instruments
    }

    static let tempoRange = 50.0...250.0
    /// A bare number is read as a tempo only in this range, and not as a name's last word (that is a take number).
    static let bareTempoRange = 60.0...200.0

    private static let instrumentWords: [String: String] = [
        "kick": "kick", "kicks": "kick", "bd": "kick", "snare": "snare", "snares": "snare", "sd": "snare",
        "clap": "clap", "claps": "clap", "hat": "hihat", "hats": "hihat", "hihat": "hihat", "hihats": "hihat",
        "hh": "hihat", "openhat": "hihat", "perc": "percussion", "percs": "percussion", "percussion": "percussion",
        "tom": "tom", "toms": "tom", "cymbal": "cymbal", "cymbals": "cymbal", "crash": "cymbal", "ride": "cymbal",
        "shaker": "shaker", "rim": "rim", "rimshot": "rim", "drum": "drums", "drums": "drums", "breakbeat": "drums",
        "break": "drums", "bass": "bass", "sub": "bass", "808": "808", "synth": "synth", "synths": "synth",
        "pad": "pad", "pads": "pad", "lead": "lead", "leads": "lead", "pluck": "pluck", "plucks": "pluck",
        "chord": "chords", "chords": "chords", "keys": "keys", "piano": "piano", "rhodes": "keys", "organ": "keys",
        "guitar": "guitar", "guitars": "guitar", "vocal": "vocal", "vocals": "vocal", "vox": "vocal",
        "fx": "fx", "sfx": "fx", "riser": "fx", "impact": "fx", "sweep": "fx", "stab": "stab", "stabs": "stab",
        "strings": "strings", "brass": "brass", "arp": "arp", "melody": "melody",
    ]

    /// Hints from a path relative to its library root; the file name wins over its folders.
    public static func parse(relativePath: String) -> NameHints {
        var components = relativePath.split(separator: "/").map(String.init)
        guard let fileName = components.popLast() else { return NameHints() }
        let stem = fileName.lastIndex(of: ".").map { String(fileName[..<$0]) } ?? fileName
        var hints = NameHints()
        // Folders first, nearest last, then the file: later evidence overrides earlier.
        for (index, name) in (components + [stem]).enumerated() {
            let isFileName = index == components.count
            let own = parse(name: name, isFileName: isFileName)
            let source: EvidenceSource = isFileName ? .filename : .folder
            if let bpm = own.bpm { (hints.bpm, hints.bpmSource) = (bpm, source) }
            if let key = own.key { (hints.key, hints.keySource) = (key, source) }
            if let type = own.type { (hints.type, hints.typeSource) = (type, source) }
            for instrument in own.instruments where !hints.instruments.contains(instrument) { hints.instruments.append(instrument) }
        }
        return hints
    }

    /// Hints from one name (a folder or a file stem).
    static func parse(name: String, isFileName: Bool) -> NameHints {
        let tokens = tokens(of: name)
        let words = tokens.map(\.text)
        let lower = words.map { $0.lowercased() }
        var hints = NameHints()
        for (index, word) in lower.enumerated() {
            let next: String? = lower.dropFirst(index + 1).first
            let previous: String? = index > 0 ? lower[index - 1] : nil
            // Letters and digits run together ("s2339eb81cd", "Kick01") say nothing of tempo or key,
            // unless the run is a tempo with its unit ("124bpm", "BPM124").
            let run = tokens[index].run
            let glued = run.count > 1
            if glued, !(run.count == 2 && run.contains { $0.lowercased() == "bpm" }) {
                if run.count <= 2, let instrument = instrumentWords[word] { hints.instruments.append(instrument) }
                continue
            }
            // Tempo: "124bpm", "124 BPM", "BPM 124", or a bare number where a tempo fits.
            if let number = Double(word), tempoRange.contains(number) {
                if next == "bpm" || previous == "bpm" {
                    hints.bpm = number
                } else if hints.bpm == nil, isFileName, bareTempoRange.contains(number), word.count >= 2,
                          index < lower.count - 1 || lower.contains(where: { $0.hasPrefix("loop") }) {
                    hints.bpm = number
                }
            }
            // Type.
            if word == "loop" || word == "loops" || word == "looped" { hints.type = .loop }
            if word == "oneshot" || word == "oneshots" || (word == "one" && (next == "shot" || next == "shots")) || word == "hit" || word == "hits" {
                hints.type = .oneShot
            }
            if let instrument = instrumentWords[word] { hints.instruments.append(instrument) }
            // Key: "Am", "F#min", "C#", or a note followed by "min"/"maj"/"minor"/"major".
            if let key = key(word: words[index], next: words.dropFirst(index + 1).first) { hints.key = key }
        }
        return hints
    }

    private static func key(word: String, next: String?) -> MusicalKey? {
        let modes = ["min", "minor", "maj", "major"]
        if let next, modes.contains(next.lowercased()), MusicalKey.pitchClass(ofNote: Substring(word)) != nil {
            return MusicalKey(parsing: word + " " + next)
        }
        // A lone capital letter ("A", "C") is too often a plain word; it needs a mode or an accidental.
        guard word.count >= 2, word.first?.isUppercase == true else { return nil }
        return MusicalKey(parsing: word)
    }

    /// A word of a name, with the run of letters and digits it was split from ("124bpm" gives "124"
    /// and "bpm", each with the run ["124", "bpm"]).
    struct Token: Equatable {
        var text: String
        var run: [String]
    }

    /// Words of a name: split at separators and between letters and digits, keeping '#' with its note.
    static func tokens(of name: String) -> [Token] {
        var tokens: [Token] = []
        var run: [String] = []
        var current = ""
        var currentIsDigits = false
        func closeWord() {
            if !current.isEmpty { run.append(current.hasSuffix(".") ? String(current.dropLast()) : current) }
            current = ""
        }
        func closeRun() {
            closeWord()
            tokens += run.map { Token(text: $0, run: run) }
            run = []
        }
        for character in name {
            let isDigit = character.isNumber && character.isASCII
            let isWordCharacter = character.isLetter || isDigit || character == "#" || character == "♯" || character == "♭" || (character == "." && currentIsDigits)
            if !isWordCharacter {
                closeRun()
                continue
            }
            if !current.isEmpty && isDigit != currentIsDigits && character != "." { closeWord() }
            current.append(character)
            currentIsDigits = isDigit || (character == "." && currentIsDigits)
        }
        closeRun()
        return tokens
    }
}
