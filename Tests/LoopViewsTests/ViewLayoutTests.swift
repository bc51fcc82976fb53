import Foundation
import LoopCore
import LoopIndex
@testable import LoopViews
import Testing

@Suite struct ViewLayoutTests {
    func file(_ id: Int64, _ path: String, type: SampleType?, bpm: Double? = nil, key: String? = nil, instruments: [String] = []) -> ViewSource.File {
        ViewSource.File(id: id, path: "/lib/" + path, root: "/lib", inode: UInt64(id), type: type, bpm: bpm, key: key, instruments: instruments,
                        duration: 1, format: .wav, size: 1, tags: [], overview: [])
    }

    @Test func filesAreFiledByTypeTempoKeyAndInstrument() {
        var source = ViewSource()
        source.files = [
            file(1, "Loops/Deep 124 Am.wav", type: .loop, bpm: 124, key: "Am", instruments: ["bass"]),
            file(2, "Drums/Kick.wav", type: .oneShot, instruments: ["drums", "kick"]),
            file(3, "Other/Kick.wav", type: .oneShot, instruments: ["kick"]),
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

@Suite struct ViewFolderWriterTests {
    func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "views-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func hardLinksFollowAReplacedFileAndStaleEntriesGo() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sample = root + "/Kick.wav"
        try Data("first".utf8).write(to: URL(fileURLWithPath: sample))
        let writer = ViewFolderWriter(folder: root + "/_Index", kind: .hardlink)
        func inode(_ path: String) throws -> UInt64 { try #require(FileStat.of(path)).inode }
        var outcome = writer.publish(["One-shots/Kick/Kick.wav": ViewEntry(target: sample, inode: try inode(sample))])
        #expect(outcome.added == 1 && outcome.failures.isEmpty)
        let entry = root + "/_Index/One-shots/Kick/Kick.wav"
        #expect(try inode(entry) == inode(sample))
        // The sample saved anew (a new inode): the entry is linked again, so it shows the new bytes.
        try FileManager.default.removeItem(atPath: sample)
        try Data("second".utf8).write(to: URL(fileURLWithPath: sample))
        outcome = writer.publish(["One-shots/Kick/Kick.wav": ViewEntry(target: sample, inode: try inode(sample))])
        #expect(outcome.added == 1)
        #expect(try String(contentsOfFile: entry, encoding: .utf8) == "second")
        // Unchanged entries are left alone; gone ones are removed with their empty folders.
        #expect(writer.publish(["One-shots/Kick/Kick.wav": ViewEntry(target: sample, inode: try inode(sample))]).unchanged == 1)
        #expect(writer.publish([:]).removed == 1)
        #expect(!FileManager.default.fileExists(atPath: root + "/_Index/One-shots"))
        #expect(FileManager.default.fileExists(atPath: sample), "removing a view entry never removes the sample")
    }

    @Test func aRestartedWriterRecognisesItsLinksAndRewritesNothing() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sample = root + "/Pad.wav"
        try Data("pad".utf8).write(to: URL(fileURLWithPath: sample))
        let entries = ["Instruments/Pad/Pad.wav": ViewEntry(target: sample, inode: try #require(FileStat.of(sample)).inode)]
        #expect(ViewFolderWriter(folder: root + "/_Index", kind: .symlink).publish(entries).added == 1)
        let again = ViewFolderWriter(folder: root + "/_Index", kind: .symlink).publish(entries)
        #expect(again.added == 0 && again.unchanged == 1)
    }
}
