import ArgumentParser
import Foundation
import LoopCore

/// A page of search results as JSON: the field list's own writer against Foundation's encoder.
struct JSONBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Time to write pages of records as JSON: SampleRecord's writer against JSONEncoder.",
        discussion: "Records have every field filled, as a library of analysed files with tags and takes has them."
    )

    @Option(help: "Records in a page.")
    var page = 1000

    @Option(help: "Pages written by each.")
    var repeats = 30

    struct Report: Encodable {
        var recordsPerPage: Int
        var pageBytes: Int
        var writerMs: Percentiles
        var encoderMs: Percentiles
        var encoderOverWriter: Double
    }

    func run() throws {
        let records = (0..<page).map(Self.record)
        var writerTimes: [Double] = [], encoderTimes: [Double] = []
        var bytes = 0
        let encoder = JSONEncoder()
        for _ in 0..<repeats {
            var clock = ContinuousClock.now
            var text = ""
            records.writeJSON(to: &text)
            let data = Data(text.utf8)
            writerTimes.append((ContinuousClock.now - clock).seconds * 1000)
            bytes = data.count
            clock = .now
            _ = try encoder.encode(records)
            encoderTimes.append((ContinuousClock.now - clock).seconds * 1000)
        }
        let writer = Percentiles(writerTimes), encoded = Percentiles(encoderTimes)
        try printJSON(Report(recordsPerPage: page, pageBytes: bytes, writerMs: writer, encoderMs: encoded, encoderOverWriter: encoded.p50 / writer.p50))
    }

    static func record(_ index: Int) -> SampleRecord {
        var record = SampleRecord(
            id: Int64(index + 1), path: "/srv/samples/Pack \(index / 100)/Loops/Deep House Loop \(index) 124 Am.wav", root: "/srv/samples",
            size: 1_411_244 + Int64(index), format: .wav, sampleRate: 44100, channels: 2, bitDepth: 24, duration: 7.741_935_483_870_968,
            peakDb: -0.312_456_789, rmsDb: -14.876_543_21, bpm: 124, key: "Am", type: .loop, hash: String(repeating: "3f", count: 32),
            addedAt: 1_795_306_091.475_073_8 + Double(index), analyzedAt: 1_795_306_095.123_456_7 + Double(index)
        )
        record.peakPosition = 1.234_557_823_129_251_7
        record.truePeakDb = 0.123_456_7
        record.loudnessLufs = -11.234_567_8
        record.loudnessRangeLu = 4.567_891_2
        record.dcOffset = -1.234_567_8e-5
        record.clippedSamples = 0
        record.leadingSilence = 0
        record.trailingSilence = 0.012_345_6
        record.bpmConfidence = 0.987_654_3
        record.bpmSource = .filename
        record.camelot = "8A"
        record.keyStrength = 0.712_345_6
        record.keySource = .filename
        record.typeSource = .folder
        record.typeConfidence = 0.6
        record.title = "Deep House Loop"
        record.artist = "Studio"
        record.genre = "House"
        record.cuePoints = [0, 170_710]
        record.instruments = ["drums", "bass"]
        record.modifiedNs = 1_795_306_091_475_073_800
        record.addedBy = "alice"
        record.tags = ["warm", "deep"]
        record.favourite = index % 5 == 0
        return record
    }
}
