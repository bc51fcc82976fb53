#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

/// Files dropped in through a real smbd, and the views tree served back through it.
@Suite(.serialized) struct SambaTests {
    @Test(.timeLimit(.minutes(3))) func filesDroppedInOverSMBAreIndexedOnceAndTheViewsServeTheirBytes() throws {
        if let reason = SambaServer.unavailableReason {
            print("SambaTests skipped: \(reason).")
            return
        }
        let daemon = DaemonProcess()
        // The Samba user (nobody) writes into the library.
        chmod(daemon.library, 0o777)
        daemon.configText = "[views]\nenabled = true\n"
        try daemon.start()
        defer { daemon.stop() }
        let samba = try SambaServer(sharing: daemon.library)
        try samba.start()
        defer { samba.stop() }

        let local = daemon.folder.makeDirectory("local")
        let loop = local + "/Deep Loop Am.wav", kick = local + "/Kick Hard.wav", big = local + "/Long Take.wav"
        try SignalWriter.write(path: loop, kind: .wav24, interleaved: LoopPattern.bass(root: 45).render(bpm: 124, beats: 8, sampleRate: 44100, seed: 1), sampleRate: 44100)
        try SignalWriter.write(path: kick, kind: .wav16, interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 2), sampleRate: 44100)
        // About 12 MB, which smbclient writes in many pieces.
        try SignalWriter.write(path: big, kind: .wav24, interleaved: LoopPattern.chords(root: 57, minor: true).render(bpm: 100, beats: 120, sampleRate: 44100, seed: 3).flatMap { [$0, $0] }, sampleRate: 44100, channels: 2)
        try Data("junk".utf8).write(to: URL(fileURLWithPath: local + "/junk"))

        let put = try samba.client("""
            mkdir Drops; cd Drops; put "\(loop)" "Deep Loop Am.wav"; mkdir Kicks; cd Kicks; put "\(kick)" "Kick Hard.wav"; cd ..; \
            put "\(big)" "Long Take.wav"; put "\(local)/junk" "._Deep Loop.wav"; put "\(local)/junk" ".DS_Store"
            """)
        #expect(put.status == 0, "\(put.output)")
        try daemon.sync()

        // Each file exactly once, fully analysed, owned by the Samba user; the junk not at all.
        let records = try daemon.search()
        #expect(records.map { ($0.path as NSString).lastPathComponent }.sorted() == ["Deep Loop Am.wav", "Kick Hard.wav", "Long Take.wav"], "\(records.map(\.path))")
        for record in records {
            let name = (record.path as NSString).lastPathComponent
            #expect(record.error == nil && record.duration != nil, "\(name) analysed: \(record.error ?? "")")
            #expect(record.hash == (try ContentHasher.sha256(path: local + "/" + name)), "\(name) indexed with the bytes sent")
            #expect(record.addedBy == "nobody", "\(name) added by the Samba user, not \(record.addedBy ?? "nil")")
        }
        #expect(records.first { $0.path.hasSuffix("Deep Loop Am.wav") }?.bpm == 124)

        // The views tree through the share: listed, and its entries give the samples' exact bytes.
        let entry = "_Index/One-shots/Kick/Kick Hard.wav"
        #expect(try daemon.loopctl(["view", "sync"]).status == 0)
        let listing = try samba.client("ls \"_Index/One-shots/Kick/*\"").output
        #expect(listing.contains("Kick Hard.wav"), "the view lists the kick: \(listing)")
        let loops = try samba.client("ls \"_Index/Loops/120-129 BPM/*\"").output
        #expect(loops.contains("A minor"), "loops are filed by BPM band and key: \(loops)")
        let fetched = daemon.folder.path + "/fetched.wav"
        let get = try samba.client("get \"\(entry)\" \"\(fetched)\"")
        #expect(get.status == 0, "\(get.output)")
        #expect(FileManager.default.contentsEqual(atPath: kick, andPath: fetched), "a view entry serves the sample's bytes")
        let catalog = try samba.client("get _Index/catalog.csv \"\(daemon.folder.path)/catalog.csv\"")
        #expect(catalog.status == 0)
        let csv = try String(contentsOfFile: daemon.folder.path + "/catalog.csv", encoding: .utf8)
        #expect(csv.contains("Drops/Kicks/Kick Hard.wav") && csv.split(separator: "\r\n").count == 4, "\(csv)")

        // Views are read-only to clients (loopd owns them); and a link's removal could never take the sample with it.
        let removal = try samba.client("rm \"\(entry)\"")
        #expect(removal.output.contains("NT_STATUS_ACCESS_DENIED"), "\(removal.output)")
        #expect(FileManager.default.fileExists(atPath: daemon.library + "/" + entry))
        #expect(FileManager.default.fileExists(atPath: daemon.library + "/Drops/Kicks/Kick Hard.wav"))
        try daemon.sync()
        #expect(try daemon.status().files == 3)
        #expect(try daemon.search(["path:_Index"]).isEmpty)
    }
}
