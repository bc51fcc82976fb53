import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

/// The query language, similar sounds and duplicates through the real daemon.
@Suite struct FindingTests {
    @Test func queriesSimilarSoundsAndDuplicates() throws {
        let daemon = DaemonProcess()
        let kick = daemon.folder.file("library/Drums/Kick A.wav")
        try SignalWriter.write(path: kick, kind: .wav16, interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 1), sampleRate: 44100)
        try SignalWriter.write(path: daemon.folder.file("library/Drums/Kick B.flac"), kind: .flac16, interleaved: LoopPattern.OneShot.kick.render(sampleRate: 48000, seed: 1), sampleRate: 48000)
        for seed in 1...3 {
            try SignalWriter.write(path: daemon.folder.file("library/Drums/Hat \(seed).wav"), kind: .wav16, interleaved: LoopPattern.OneShot.hat.render(sampleRate: 44100, seed: UInt64(seed * 2)), sampleRate: 44100)
        }
        try SignalWriter.write(path: daemon.folder.file("library/Keys/Stab.wav"), kind: .wav16, interleaved: LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 3), sampleRate: 44100)
        try FileManager.default.copyItem(atPath: kick, toPath: daemon.folder.file("library/Copies/Kick A copy.wav"))
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()

        // The query language end to end, with a bad query answered by a clear error.
        #expect(Set(try daemon.search(["bd"]).map { ($0.path as NSString).lastPathComponent }) == ["Kick A.wav", "Kick B.flac", "Kick A copy.wav"])
        #expect(try daemon.search(["hat -\"Hat 2\"", "--sort", "name"]).map { ($0.path as NSString).lastPathComponent } == ["Hat 1.wav", "Hat 3.wav"])
        let bad = try daemon.loopctl(["search", "bpm:fast"])
        #expect(bad.status == 2 && bad.stderr.contains("bpm:fast") && bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")

        let similar: [SimilarMatch] = try daemon.loopctlJSON(["similar", kick, "--limit", "3"])
        let nearest = similar.map { ($0.record.path as NSString).lastPathComponent }
        #expect(nearest.first == "Kick A copy.wav" && similar.first?.distance == 0, "an identical copy is nearest: \(nearest)")
        #expect(nearest.dropFirst().first == "Kick B.flac", "then the same kick at another rate: \(nearest)")
        let hatsOnly: [SimilarMatch] = try daemon.loopctlJSON(["similar", kick, "--where", "path:drums/ hat"])
        #expect(hatsOnly.count == 3 && hatsOnly.allSatisfy { $0.record.path.contains("/Hat ") })

        let dupes: DuplicatesReport = try daemon.loopctlJSON(["dupes"])
        #expect(dupes.groups.count == 1 && dupes.groups.first?.records.count == 2)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: kick)[.size] as? Int)
        #expect(dupes.extraCopies == 1 && dupes.reclaimableBytes == Int64(size))
        let text = try daemon.loopctl(["dupes"])
        #expect(text.status == 0 && text.stdout.contains("removing them would free"))
    }
}
