import LoopCore
import Testing

@Suite struct SampleVerdictTests {
    func decide(seconds: Double, trailingSilence: Double = 0, name: String) -> SampleVerdict {
        SampleVerdict(audio: .init(duration: seconds, trailingSilence: trailingSilence), names: NameHints.parse(relativePath: name))
    }

    @Test func aNamedTempoThatFitsTheLengthIsKept() {
        // 8 beats at 124 BPM last 3.871 s.
        let verdict = decide(seconds: 8 * 60 / 124, name: "Loop_124_Am.wav")
        #expect(verdict.bpm == 124 && verdict.bpmSource == .filename)
        #expect(verdict.key?.name == "Am" && verdict.keySource == .filename)
        #expect(verdict.type == .loop && verdict.typeSource == .filename)
    }

    @Test func aHintFromAFolderSaysSo() {
        let verdict = decide(seconds: 8 * 60 / 124, name: "Loops/124 BPM/Am/Warm Pad.wav")
        #expect(verdict.type == .loop && verdict.typeSource == .folder)
        #expect(verdict.bpm == 124 && verdict.bpmSource == .folder)
        #expect(verdict.key?.name == "Am" && verdict.keySource == .folder)
        let own = decide(seconds: 8 * 60 / 124, name: "One Shots/Stab_Loop_124.wav")
        #expect(own.type == .loop && own.typeSource == .filename, "the file's own name wins over its folder")
    }

    @Test func aTailOfSilenceDoesNotHideTheFit() {
        let verdict = decide(seconds: 4 * 60 / 90 + 0.8, trailingSilence: 0.8, name: "Keys 90 bpm.wav")
        #expect(verdict.bpm == 90)
    }

    @Test func aNamedTempoThatDoesNotFitIsDropped() {
        let verdict = decide(seconds: 3.3, name: "Loop_124_Am.wav")
        #expect(verdict.bpm == nil && verdict.bpmSource == nil)
    }

    @Test func aFileThatCouldNotBeDecodedGetsNoTempoButKeepsItsNames() {
        let verdict = SampleVerdict(audio: .init(), names: NameHints.parse(relativePath: "Loops/Bass 120bpm Am.wav"))
        #expect(verdict.bpm == nil && verdict.key?.name == "Am" && verdict.type == .loop && verdict.instruments == ["bass"])
    }

    @Test func aOneShotHasNoTempo() {
        // 120 BPM fits 0.5 s (one beat), but a one-shot has no tempo.
        let verdict = decide(seconds: 0.5, name: "One Shots/Kick 120bpm.wav")
        #expect(verdict.type == .oneShot)
        #expect(verdict.bpm == nil)
    }

    @Test func theAudioSpeaksWhereTheNamesAreSilent() {
        let heard = SampleVerdict(audio: .init(duration: 4, bpm: 120, bpmConfidence: 0.7, type: .loop), names: NameHints.parse(relativePath: "clip17.wav"))
        #expect(heard.bpm == 120 && heard.bpmSource == .audio && heard.bpmConfidence == 0.7)
        #expect(heard.type == .loop && heard.typeSource == .audio)
        // A fitting name wins over the audio; a name's type wins over the audio's.
        let named = SampleVerdict(audio: .init(duration: 4, bpm: 60, bpmConfidence: 0.7, type: .loop), names: NameHints.parse(relativePath: "Beat 120 bpm.wav"))
        #expect(named.bpm == 120 && named.bpmSource == .filename && named.bpmConfidence == 1)
        let oneShot = SampleVerdict(audio: .init(duration: 4, bpm: 120, bpmConfidence: 0.7, type: .loop), names: NameHints.parse(relativePath: "One Shots/Crash.wav"))
        #expect(oneShot.type == .oneShot && oneShot.bpm == nil)
    }

    @Test func clearAudioOutweighsAFoldersWordButNotTheFilesOwnName() {
        // Sixteen beats at 86 BPM with a steady pulse, in a folder that says one-shot.
        let loop = SampleVerdict.AudioEvidence(duration: 16 * 60 / 86, bpm: 86, bpmConfidence: 0.4, type: .loop, typeConfidence: 0.8)
        let inOneShots = SampleVerdict(audio: loop, names: NameHints.parse(relativePath: "Pack/One Shots/Chords/keys_14.wav"))
        #expect(inOneShots.type == .loop && inOneShots.typeSource == .audio && inOneShots.typeConfidence == 0.8 && inOneShots.bpm == 86)
        var unclear = loop
        unclear.typeConfidence = 0.5
        let weak = SampleVerdict(audio: unclear, names: NameHints.parse(relativePath: "Pack/One Shots/Chords/keys_14.wav"))
        #expect(weak.type == .oneShot && weak.typeSource == .folder && weak.typeConfidence == 0.6 && weak.bpm == nil, "unclear audio gives way to the folder")
        let named = SampleVerdict(audio: loop, names: NameHints.parse(relativePath: "Pack/Loops/Keys_OneShot_14.wav"))
        #expect(named.type == .oneShot && named.typeSource == .filename && named.typeConfidence == 0.9, "the file's own name outweighs clear audio")
        // A single hit in a folder of loops is a one-shot, with its root note.
        let hit = SampleVerdict.AudioEvidence(duration: 1.4, type: .oneShot, typeConfidence: 0.8, rootNote: "E")
        let inLoops = SampleVerdict(audio: hit, names: NameHints.parse(relativePath: "Pack/Loops/808s/808_47.wav"))
        #expect(inLoops.type == .oneShot && inLoops.typeSource == .audio && inLoops.rootNote == "E")
        // Audio analysed before it had a confidence ranks below a folder's word, as it did then.
        var stored = loop
        stored.typeConfidence = nil
        #expect(SampleVerdict(audio: stored, names: NameHints.parse(relativePath: "One Shots/keys.wav")).type == .oneShot)
    }

    @Test func theFilesOwnLoopInfoComesFirstIfItFits() {
        // 8 beats at 124 BPM last 3.871 s; the name says 120, the audio 62.
        let audio = SampleVerdict.AudioEvidence(duration: 8 * 60 / 124, bpm: 62, bpmConfidence: 0.5, type: .loop, embeddedTempo: 124, embeddedOneShot: false)
        let verdict = SampleVerdict(audio: audio, names: NameHints.parse(relativePath: "One Shots/Hit 120 bpm.wav"))
        #expect(verdict.type == .loop && verdict.typeSource == .embedded)
        #expect(verdict.bpm == 124 && verdict.bpmSource == .embedded)
        // An embedded tempo that does not fit the length is passed over.
        var unfit = audio
        unfit.embeddedTempo = 100
        #expect(SampleVerdict(audio: unfit, names: NameHints()).bpm == 62)
        // A one-shot flag wins over a name that says loop, and its root note names the one-shot.
        let shot = SampleVerdict(audio: .init(duration: 1, type: .loop, embeddedOneShot: true, embeddedRootMidiNote: 61), names: NameHints.parse(relativePath: "Loops/Stab.wav"))
        #expect(shot.type == .oneShot && shot.bpm == nil && shot.rootNote == "C#")
    }

    @Test func theFilesOwnKeyComesBeforeTheNameAndTheAudio() throws {
        let fMinor = try #require(MusicalKey(parsing: "F#m")), c = try #require(MusicalKey(parsing: "C"))
        let audio = SampleVerdict.AudioEvidence(duration: 4, type: .loop, key: c, keyStrength: 0.9, embeddedKey: fMinor)
        let verdict = SampleVerdict(audio: audio, names: NameHints.parse(relativePath: "Pad_Am.wav"))
        #expect(verdict.key == fMinor && verdict.keySource == .embedded && verdict.keyStrength == nil)
        var unkeyed = audio
        unkeyed.embeddedKey = nil
        #expect(SampleVerdict(audio: unkeyed, names: NameHints.parse(relativePath: "Pad_Am.wav")).keySource == .filename)
        #expect(SampleVerdict(audio: unkeyed, names: NameHints()).keySource == .audio)
    }
}
