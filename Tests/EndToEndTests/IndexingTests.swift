import Foundation
import LoopCore
import LoopSynth
import LoopTestSupport
import Testing

/// The daemon and client end to end: real files, real inotify, real SQLite, real socket.
@Suite(.serialized) struct IndexingTests {
    @Test func newFilesOfEveryFormatAppearWithTheirFacts() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let cases: [(String, AudioFileKind, Int, Int, Double)] = [
            ("Kicks/Kick_Hard_01.wav", .wav16, 1, 44100, 0.5),
            ("Loops/Loop_124_Am.wav", .wav24, 2, 48000, 3.2),
            ("Loops/Loop 120 BPM Eb.wav", .wav16, 1, 44100, 4.0),
            ("Pads/Pad Float.wav", .wavFloat, 2, 44100, 1.25),
            ("Snares/Snare.aif", .aiff16, 1, 44100, 0.3),
            ("Stems/Bass.flac", .flac24, 2, 96000, 2.0),
            ("FX/Riser.ogg", .ogg, 2, 44100, 4.0),
            ("Vox/Chop.mp3", .mp3, 1, 44100, 1.0),
        ]
        for (relative, kind, channels, rate, duration) in cases {
            try SignalWriter.write(path: daemon.folder.file("library/" + relative), kind: kind, signal: .sine(frequency: 220, amplitude: 0.4), duration: duration, sampleRate: rate, channels: channels)
        }
        try daemon.sync()
        let records = try daemon.search()
        #expect(records.count == cases.count)
        for (relative, kind, channels, rate, duration) in cases {
            let record = try #require(records.first { $0.path == daemon.library + "/" + relative }, "\(relative) is indexed")
            #expect(record.root == daemon.library)
            #expect(record.format?.rawValue == kind.containerName)
            #expect(record.channels == channels)
            #expect(record.sampleRate == rate)
            #expect(record.bitDepth == kind.bitDepth)
            let tolerance = kind.bitDepth == nil ? 0.06 : 0.0001
            #expect(abs((record.duration ?? 0) - duration) <= tolerance, "\(relative): \(record.duration ?? -1)")
            #expect(record.error == nil)
            #expect(record.hash?.count == 64)
            // A 0.4 sine peaks at -7.96 dBFS; lossy codecs move peaks by a fraction of a dB.
            let peakTolerance = kind.bitDepth == nil ? 0.6 : 0.01
            #expect(abs((record.peakDb ?? 0) - -7.9588) < peakTolerance, "\(relative) peak \(record.peakDb ?? 0)")
            // Every file is loud enough to measure; under 400 ms only ungated.
            #expect((record.loudnessLufs != nil) == (duration >= 0.4), "\(relative)")
            #expect((record.clipLoudnessLufs != nil) == (duration <= 3), "\(relative)")
            #expect((record.leadingSilence ?? 1) < 0.001 && record.truePeakDb != nil, "a sine starts at once")
        }
        // Names: tempo only where it fits the length (3.2 s is 6.6 beats at 124; 4 s is 8 at 120).
        func record(_ relative: String) -> SampleRecord? { records.first { $0.path == daemon.library + "/" + relative } }
        let unfit = try #require(record("Loops/Loop_124_Am.wav"))
        #expect(unfit.bpm == nil && unfit.key == "Am" && unfit.camelot == "8A" && unfit.type == .loop && unfit.typeSource == .filename)
        let fit = try #require(record("Loops/Loop 120 BPM Eb.wav"))
        #expect(fit.bpm == 120 && fit.bpmSource == .filename && fit.key == "Eb" && fit.camelot == "5B")
        let kick = try #require(record("Kicks/Kick_Hard_01.wav"))
        // Half a second of steady tone: the audio says one-shot, so no tempo.
        #expect(kick.bpm == nil && kick.key == nil && kick.type == .oneShot && kick.typeSource == .audio && kick.instruments == ["kick"])
        #expect(kick.rootNote == "A", "a 220 Hz tone is an A")
        #expect(record("Vox/Chop.mp3")?.instruments == ["vocal"])
        let kicks = try daemon.search(["kick", "--format", "wav", "--duration", "<1"])
        #expect(kicks.map(\.path) == [daemon.library + "/Kicks/Kick_Hard_01.wav"])
    }

    /// The file's own loop info wins over its name when it fits, and shows where it came from.
    @Test func embeddedLoopInfoAndTagsReachTheRecord() throws {
        let daemon = DaemonProcess()
        let beat = LoopPattern.drums.render(bpm: 120, beats: 8, sampleRate: 44100, seed: 1)
        let loop = daemon.folder.file("library/Loops/Groove 100 bpm.wav")
        try SignalWriter.write(path: loop, kind: .wav16, interleaved: beat, sampleRate: 44100, tags: .init(title: "Groove", genre: "Funk", cuePoints: [0, 44100]))
        try SignalWriter.appendChunk(to: loop, id: "acid", payload: SignalWriter.acidChunk(oneShot: false, rootMidiNote: nil, beats: 8, tempo: 120))
        try SignalWriter.appendChunk(to: loop, id: "id3 ", payload: ID3TagBuilder.tag([("TKEY", "Dm"), ("TBPM", "100")]))
        let shot = daemon.folder.file("library/Loops/Stab.wav")
        try SignalWriter.write(path: shot, kind: .wav16, interleaved: LoopPattern.OneShot.stab.render(sampleRate: 44100, seed: 2), sampleRate: 44100, tags: .init(rootMidiNote: 63, loop: 100...2000))
        try SignalWriter.appendChunk(to: shot, id: "acid", payload: SignalWriter.acidChunk(oneShot: true, rootMidiNote: 63, beats: 0, tempo: 0))
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let records = try daemon.search()
        let groove = try #require(records.first { $0.path == loop })
        #expect(groove.bpm == 120 && groove.bpmSource == .embedded && groove.type == .loop && groove.typeSource == .embedded)
        #expect(groove.title == "Groove" && groove.genre == "Funk" && groove.cuePoints == [0, 44100])
        #expect(groove.key == "Dm" && groove.keySource == .embedded)
        let stab = try #require(records.first { $0.path == shot })
        #expect(stab.type == .oneShot && stab.typeSource == .embedded && stab.bpm == nil && stab.rootNote == "D#")
        #expect(stab.loopStart == 100 && stab.loopEnd == 2000)
        let info = try daemon.loopctl(["info", shot]).stdout
        #expect(info.contains("one-shot (from the file's own metadata)") && info.contains("D#"), "\(info)")
    }

    @Test func peaksExportAsAudiowaveformDat() throws {
        let daemon = DaemonProcess()
        let path = daemon.folder.file("library/tone.flac")
        try SignalWriter.write(path: path, kind: .flac16, signal: .sine(frequency: 440, amplitude: 0.5), duration: 1, sampleRate: 44100, channels: 2)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let datPath = daemon.folder.file("tone.dat")
        let result = try daemon.loopctl(["waveform", path, "--format", "dat", "--samples-per-pixel", "1024", "--output", datPath])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: datPath)))
        func word(_ offset: Int) -> UInt32 { bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        // 44,100 frames at 1,024 per pixel: 44 pixels (the last partial), two channels, 16-bit.
        #expect([word(0), word(4), word(8), word(12), word(16), word(20)] == [2, 0, 44100, 1024, 44, 2])
        #expect(bytes.count == 24 + 44 * 2 * 2 * 2)
        let firstMax = Int16(bitPattern: UInt16(bytes[26]) | UInt16(bytes[27]) << 8)
        #expect(abs(Int(firstMax) - 16384) <= 2, "a 0.5 sine peaks at 16384: \(firstMax)")
        let refused = try daemon.loopctl(["waveform", path, "--format", "dat", "--samples-per-pixel", "300"])
        #expect(refused.status == 2 && refused.stderr.contains("256 times a power of two"), "\(refused.stderr)")
    }

    @Test func deletesRenamesAndFolderMovesAreReflected() throws {
        let daemon = DaemonProcess()
        try SignalWriter.write(path: daemon.folder.file("library/a/doomed.wav"), kind: .wav16, signal: .kick(amplitude: 0.8), duration: 0.4)
        try SignalWriter.write(path: daemon.folder.file("library/a/old name.wav"), kind: .wav16, signal: .kick(amplitude: 0.8), duration: 0.6)
        try SignalWriter.write(path: daemon.folder.file("library/kit/sub/hat.flac"), kind: .flac16, signal: .noise(amplitude: 0.2, seed: 1), duration: 0.2)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let before = try daemon.search()
        #expect(before.count == 3)
        let renamedID = try #require(before.first { $0.path.hasSuffix("old name.wav") }).id
        let hatID = try #require(before.first { $0.path.hasSuffix("hat.flac") }).id

        try FileManager.default.removeItem(atPath: daemon.library + "/a/doomed.wav")
        try FileManager.default.moveItem(atPath: daemon.library + "/a/old name.wav", toPath: daemon.library + "/a/new name.wav")
        try FileManager.default.moveItem(atPath: daemon.library + "/kit", toPath: daemon.library + "/Drum Kit")
        try daemon.sync()

        let after = try daemon.search()
        #expect(Set(after.map(\.path)) == [daemon.library + "/a/new name.wav", daemon.library + "/Drum Kit/sub/hat.flac"])
        #expect(after.first { $0.path.hasSuffix("new name.wav") }?.id == renamedID, "a rename keeps the file's identity")
        #expect(after.first { $0.path.hasSuffix("hat.flac") }?.id == hatID, "a folder move keeps its files' identity")
        let info = try daemon.loopctl(["info", daemon.library + "/a/old name.wav"])
        #expect(info.status != 0)
        #expect(info.stderr.contains("is not in the index"))
    }

    @Test func aPopulatedFolderMovedInIsIndexed() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        let outside = TemporaryDirectory("pack")
        for index in 0..<12 {
            try SignalWriter.write(path: outside.file("Pack/\(index % 2 == 0 ? "Kicks" : "Snares")/s\(index).wav"), kind: .wav16, signal: .kick(amplitude: 0.5), duration: 0.1)
        }
        try FileManager.default.moveItem(atPath: outside.path + "/Pack", toPath: daemon.library + "/Pack")
        try daemon.sync()
        #expect(try daemon.search(["pack"]).count == 12)
    }

    @Test func corruptFilesCarryTheirErrorAndCount() throws {
        let daemon = DaemonProcess()
        try daemon.start()
        defer { daemon.stop() }
        try Data("RIFF\u{0}\u{0}garbage that is not audio".utf8).write(to: URL(fileURLWithPath: daemon.library + "/broken.wav"))
        try SignalWriter.write(path: daemon.library + "/fine.wav", kind: .wav16, signal: .kick(amplitude: 0.5), duration: 0.2)
        let truncated = daemon.library + "/cut.flac"
        try SignalWriter.write(path: truncated, kind: .flac16, signal: .noise(amplitude: 0.5, seed: 2), duration: 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: truncated))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: truncated))
        try daemon.sync()

        let broken: SampleRecord = try daemon.loopctlJSON(["info", daemon.library + "/broken.wav"])
        let error = try #require(broken.error)
        #expect(error.hasSuffix("."))
        #expect(broken.format == nil && broken.duration == nil)
        let cut: SampleRecord = try daemon.loopctlJSON(["info", truncated])
        #expect(cut.error != nil)
        let status: [String: AnyDecodable] = try daemon.loopctlJSON(["status"])
        #expect(status["errors"]?.int == 2)
        #expect(status["files"]?.int == 3)
        let fine: SampleRecord = try daemon.loopctlJSON(["info", daemon.library + "/fine.wav"])
        #expect(fine.error == nil)
    }

    @Test func filesChangedWhileTheDaemonWasDownAreFound() throws {
        let daemon = DaemonProcess()
        try SignalWriter.write(path: daemon.library + "/stays.wav", kind: .wav16, signal: .kick(amplitude: 0.5), duration: 0.5)
        try SignalWriter.write(path: daemon.library + "/goes.wav", kind: .wav16, signal: .kick(amplitude: 0.5), duration: 0.5)
        try SignalWriter.write(path: daemon.library + "/changes.wav", kind: .wav16, signal: .kick(amplitude: 0.5), duration: 0.5)
        try daemon.start()
        try daemon.sync()
        let firstID = try #require(try daemon.search(["stays"]).first?.id)
        #expect(daemon.stop() == 0, "SIGTERM is a clean exit")
        #expect(!FileManager.default.fileExists(atPath: daemon.socket), "the socket is removed on shutdown")

        try FileManager.default.removeItem(atPath: daemon.library + "/goes.wav")
        try SignalWriter.write(path: daemon.library + "/changes.wav", kind: .wav24, signal: .kick(amplitude: 0.5), duration: 1.5)
        try SignalWriter.write(path: daemon.library + "/new.wav", kind: .wav16, signal: .kick(amplitude: 0.5), duration: 0.25)
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let records = try daemon.search()
        #expect(Set(records.map { ($0.path as NSString).lastPathComponent }) == ["stays.wav", "changes.wav", "new.wav"])
        #expect(records.first { $0.path.hasSuffix("stays.wav") }?.id == firstID)
        let changed = try #require(records.first { $0.path.hasSuffix("changes.wav") })
        #expect(changed.duration == 1.5)
        #expect(changed.bitDepth == 24)
    }
}

/// Just enough of a JSON value to read numbers out of `status`.
struct AnyDecodable: Decodable {
    var int: Int?
    init(from decoder: any Decoder) throws {
        int = try? decoder.singleValueContainer().decode(Int.self)
    }
}
