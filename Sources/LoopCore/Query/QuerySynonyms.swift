/// Words producers use for the same thing; a search for one finds the others.
public enum QuerySynonyms {
    static let groups: [[String]] = [
        ["kick", "bd", "kik", "bassdrum"], ["snare", "sn", "sd"], ["hat", "hh", "hihat", "hihats", "hats"],
        ["clap", "cp", "claps"], ["cymbal", "cym", "crash", "ride"], ["percussion", "perc", "percs"],
        ["vocal", "vox", "vocals", "voc"], ["fx", "sfx", "effect", "effects"], ["808", "sub"], ["oneshot", "one-shot", "shot"],
        ["synth", "syn"], ["guitar", "gtr"], ["keys", "piano", "rhodes"],
    ]

    private static let byWord: [String: [String]] = {
        var map: [String: [String]] = [:]
        for group in groups { for word in group { map[word] = group } }
        return map
    }()

    /// `word` and the words that mean the same, lower-cased; just `word` when it has none.
    public static func expand(_ word: String) -> [String] {
        let lower = word.lowercased()
        return byWord[lower] ?? [lower]
    }
}
