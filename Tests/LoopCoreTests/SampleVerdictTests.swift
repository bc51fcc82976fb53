import LoopCore
import Testing

@Suite struct SampleVerdictTests {
    func decide(seconds: Double, trailingSilence: Double = 0, name: String) -> SampleVerdict {
        SampleVerdict(duration: seconds, trailingSilence: trailingSilence, names: NameHints.parse(relativePath: name))
    }

    @Test func aNamedTempoThatFitsTheLengthIsKept() {
        // 8 beats at 124 BPM last 3.871 s.
        let verdict = decide(seconds: 8 * 60 / 124, name: "Loop_124_Am.wav")
        #expect(verdict.bpm == 124 && verdict.bpmSource == "filename")
        #expect(verdict.key?.name == "Am" && verdict.keySource == "filename")
        #expect(verdict.type == "loop" && verdict.typeSource == "filename")
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
        let verdict = SampleVerdict(duration: nil, trailingSilence: nil, names: NameHints.parse(relativePath: "Loops/Bass 120bpm Am.wav"))
        #expect(verdict.bpm == nil && verdict.key?.name == "Am" && verdict.type == "loop" && verdict.instruments == ["bass"])
    }

    @Test func aOneShotHasNoTempo() {
        // 120 BPM fits 0.5 s (one beat), but a one-shot has no tempo.
        let verdict = decide(seconds: 0.5, name: "One Shots/Kick 120bpm.wav")
        #expect(verdict.type == "one-shot")
        #expect(verdict.bpm == nil)
    }
}
