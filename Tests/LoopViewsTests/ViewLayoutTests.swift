import LoopIndex
@testable import LoopViews
import Testing

@Suite struct ViewLayoutTests {
    func file(_ id: Int64, _ path: String, type: String?, bpm: Double? = nil, key: String? = nil, instruments: [String] = []) -> ViewSource.File {
        ViewSource.File(id: id, path: "/lib/" + path, root: "/lib", inode: UInt64(id), type: type, bpm: bpm, key: key, instruments: instruments,
                        duration: 1, format: "wav", size: 1, tags: [], overview: [])
    }

    @Test func filesAreFiledByTypeTempoKeyAndInstrument() {
        var source = ViewSource()
        source.files = [
            file(1, "Loops/Deep 124 Am.wav", type: "loop", bpm: 124, key: "Am", instruments: ["bass"]),
            file(2, "Drums/Kick.wav", type: "one-shot", instruments: ["drums", "kick"]),
            file(3, "Other/Kick.wav", type: "one-shot", instruments: ["kick"]),
            file(4, "Odd/Thing?.wav", type: nil),
        ]
        source.favourites = ["alice": [3]]
        source.sharedCollections = ["Set: 1": [1, 2]]
        source.searches = ["Kicks": [2, 3]]
        let entries = ViewLayout.entries(source)
        #expect(entries["Loops/120-129 BPM/A minor/Deep 124 Am.wav"]?.target == "/lib/Loops/Deep 124 Am.wav")
        // Same name in one folder: the lower id keeps it, the next is numbered.
        #expect(entries["One-shots/Kick/Kick.wav"]?.target == "/lib/Drums/Kick.wav")
        #expect(entries["One-shots/Kick/Kick (2).wav"]?.target == "/lib/Other/Kick.wav")
        #expect(entries["Instruments/Drums/Kick.wav"] != nil && entries["Instruments/Bass/Deep 124 Am.wav"] != nil)
        #expect(entries["Favourites/alice/Kick.wav"]?.target == "/lib/Other/Kick.wav")
        #expect(entries["Collections/Set_ 1/Kick.wav"] != nil, "':' is replaced for Windows")
        #expect(entries["Searches/Kicks/Kick (2).wav"] != nil)
        #expect(!entries.values.contains { $0.target.hasSuffix("Thing?.wav") }, "a file of unknown type and no instrument is in no view")
        #expect(ViewLayout.entries(source) == entries, "the same index gives the same tree")
    }

    @Test func namesAreSafeOnWindows() {
        #expect(ViewNames.safe("a<b>c:d\"e|f?g*h\\i.wav") == "a_b_c_d_e_f_g_h_i.wav")
        #expect(ViewNames.safe("CON.wav") == "_CON.wav")
        #expect(ViewNames.safe("trailing. ") == "trailing")
        #expect(ViewNames.safe("") == "_")
        #expect(ViewNames.numbered("Kick.wav", 3) == "Kick (3).wav")
        #expect(ViewLayout.keyFolder("F#m") == "F# minor" && ViewLayout.keyFolder("Eb") == "Eb major" && ViewLayout.keyFolder(nil) == "No key")
        #expect(ViewLayout.bpmBand(99.5) == "90-99 BPM" && ViewLayout.bpmBand(nil) == "Unknown BPM")
    }

    @Test func relativeLinksClimbOutOfTheViewFolderOnly() {
        let writer = ViewFolderWriter(folder: "/lib/_Index", kind: .symlink)
        #expect(writer.relativeTarget(from: "/lib/_Index/One-shots/Kick", to: "/lib/Drums/Kick.wav") == "../../../Drums/Kick.wav")
        #expect(writer.relativeTarget(from: "/lib/_Index/A", to: "/lib/_Indexed/x.wav") == "../../_Indexed/x.wav")
    }
}
