import LoopCore
import Testing

@Suite struct NameHintsTests {
    @Test(arguments: [
        ("Loops/Loop_124_Am.wav", 124.0, "Am", .loop),
        ("125 BPM D Min.wav", 125.0, "Dm", nil),
        ("Pack/140bpm C# Maj Lead.flac", 140.0, "Db", nil),  // spelled the usual way
        ("Bass_F#min_90.wav", nil, "F#m", nil),
        ("Drums_Loop_120.wav", 120.0, nil, .loop),
        ("Amin pad 128 bpm.aiff", 128.0, "Am", nil),
        ("Ebm_Chords_Loop.wav", nil, "Ebm", .loop),
        ("Synth Bb 98.5bpm.wav", 98.5, "Bb", nil),
        ("Bass_124bpm_Am.wav", 124.0, "Am", nil),
        ("BPM128 Pad Gm.wav", 128.0, "Gm", nil),
        ("Keys_Loop_03_95bpm_F#m.wav", 95.0, "F#m", .loop),
    ] as [(String, Double?, String?, SampleType?)])
    func tempoKeyAndTypeFromNames(path: String, bpm: Double?, key: String?, type: SampleType?) {
        let hints = NameHints.parse(relativePath: path)
        #expect(hints.bpm == bpm, "\(path)")
        #expect(hints.key?.name == key, "\(path)")
        #expect(hints.type == type, "\(path)")
    }

    @Test func numbersThatAreTakesOrIndexesAreNotTempos() {
        for path in ["Kick_Hard_01.wav", "Snare 100.wav", "Take 128.wav", "Hits/Clap_808.wav", "2024/Kick.wav"] {
            #expect(NameHints.parse(relativePath: path).bpm == nil, "\(path)")
        }
    }

    @Test func digitsInsideARunOfLettersAndDigitsAreNoTempoOrKey() {
        // Hash-like names and glued words: "81" in "s2339eb81cd" is no tempo, "Cd"/"Eb" in them no key.
        for path in ["s2339eb81cd.wav", "Loops/a7f3e21b9c04.wav", "Kick120Punch.wav", "x9Eb124q.wav", "Loop_b81cd97Am.wav"] {
            let hints = NameHints.parse(relativePath: path)
            #expect(hints.bpm == nil && hints.key == nil, "\(path)")
        }
        #expect(NameHints.parse(relativePath: "Kick01.wav").instruments == ["kick"], "a word glued to its number still names the instrument")
    }

    @Test func wordsThatLookLikeNotesAreNotKeys() {
        for path in ["Bass Dub.wav", "A Kick.wav", "Deep Bass.wav", "Best Snare.wav", "Fade Out.wav"] {
            #expect(NameHints.parse(relativePath: path).key == nil, "\(path)")
        }
    }

    @Test func foldersGiveTypeAndInstrumentsAndTheFileNameWins() {
        let hints = NameHints.parse(relativePath: "Vendor/One Shots/Snares/Snare_Tight_03.wav")
        #expect(hints.type == .oneShot)
        #expect(hints.instruments == ["snare"])
        let overridden = NameHints.parse(relativePath: "One Shots/Kick Loop 120.wav")
        #expect(overridden.type == .loop)
        #expect(overridden.instruments == ["kick"])
    }

    @Test func camelotCodes() {
        let expected = ["C": "8B", "Am": "8A", "G": "9B", "Em": "9A", "B": "1B", "G#m": "1A", "F#m": "11A", "Eb": "5B", "Bbm": "3A"]
        for (name, code) in expected {
            #expect(MusicalKey(parsing: name)?.camelot == code, "\(name)")
            #expect(MusicalKey(parsing: name)?.name == name)
        }
        #expect(MusicalKey(parsing: "A#m")?.name == "Bbm", "spelled the usual way")
        #expect(MusicalKey(parsing: "H") == nil && MusicalKey(parsing: "Cx") == nil)
    }
}
