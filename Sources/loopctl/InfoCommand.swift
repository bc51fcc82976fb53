import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show everything the index holds about one file.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file: a path or an index id.")
    var file: FileArgument

    func run() throws {
        let record: SampleRecord = try global.call(LoopMethod.get, file.reference)
        if global.json { return try global.printJSON(record) }
        var lines: [(String, String)] = [
            ("Path", record.path), ("Id", String(record.id)), ("Root", record.root),
            ("Size", Formatting.bytes(record.size)),
            ("Format", record.format?.rawValue ?? "-"),
            ("Sample rate", record.sampleRate.map { "\($0) Hz" } ?? "-"),
            ("Channels", record.channels.map(String.init) ?? "-"),
            ("Bit depth", record.bitDepth.map(String.init) ?? "-"),
            ("Duration", record.duration.map { String(format: "%.3f s", $0) } ?? "-"),
            ("Peak", record.peakDb.map { peak in String(format: "%.2f dBFS", peak) + (record.peakPosition.map { String(format: " at %.3f s", $0) } ?? "") } ?? "-"),
            ("True peak", record.truePeakDb.map { String(format: "%.2f dBTP", $0) } ?? "-"),
            ("RMS", record.rmsDb.map { String(format: "%.2f dBFS", $0) } ?? "-"),
            ("Loudness", Self.loudness(record)),
            ("Loudness range", record.loudnessRangeLu.map { String(format: "%.1f LU", $0) } ?? "-"),
            ("Silence", Self.silence(record)),
            ("DC offset", record.dcOffset.map { String(format: "%.5f", $0) } ?? "-"),
            ("Clipped samples", record.clippedSamples.map(String.init) ?? "-"),
            ("BPM", Self.sourced(Formatting.number(record.bpm) + (record.bpmConfidence.map { String(format: ", confidence %.2f", $0) } ?? ""), record.bpmSource)),
            ("Key", Self.sourced(record.key.map { key in record.camelot.map { "\(key) (\($0))" } ?? key } ?? "-", record.keySource)),
            ("Root note", record.rootNote ?? "-"),
            ("Type", Self.sourced((record.type?.rawValue ?? "-") + (record.typeSource == .embedded ? "" : record.typeConfidence.map { String(format: ", confidence %.2f", $0) } ?? ""), record.typeSource)),
            ("Instruments", record.instruments.isEmpty ? "-" : record.instruments.joined(separator: ", ")),
            ("Tags", record.tags.isEmpty ? "-" : record.tags.joined(separator: ", ")),
            ("Favourite", record.favourite ? "yes" : "no"),
            ("Added by", record.addedBy ?? "-"),
            ("Take", record.take.map { take in ["artist": take.artist, "song": take.song, "track": take.track, "version": take.version].compactMap { field in field.value.map { "\(field.key) \($0)" } }.sorted().joined(separator: ", ") } ?? "-"),
            ("Original name", record.originalName ?? "-"),
            ("SHA-256", record.hash ?? "-"),
            ("Added", Self.date(record.addedAt)),
            ("Analysed", Self.date(record.analyzedAt)),
        ]
        // Stored in the file itself; shown only when present.
        let embedded: [(String, String?)] = [
            ("Title", record.title), ("Artist", record.artist), ("Genre", record.genre), ("Comment", record.comment),
            ("Description", record.description), ("Originator", record.originator), ("Originated", record.originated),
            ("Sampler loop", record.loopStart.flatMap { start in record.loopEnd.map { "frames \(start)-\($0)" } }),
            ("Cue points", record.cuePoints.isEmpty ? nil : "frames " + record.cuePoints.map(String.init).joined(separator: ", ")),
        ]
        lines += embedded.compactMap { label, value in value.map { (label, $0) } }
        if let error = record.error { lines.append(("Error", error)) }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            output(label + ":" + String(repeating: " ", count: width - label.count + 1) + value)
        }
    }

    private static func loudness(_ record: SampleRecord) -> String {
        if let integrated = record.loudnessLufs { return String(format: "%.1f LUFS integrated", integrated) }
        if let clip = record.clipLoudnessLufs { return String(format: "%.1f LUFS over the clip (too short to gate)", clip) }
        return "-"
    }

    private static func silence(_ record: SampleRecord) -> String {
        guard let leading = record.leadingSilence, let trailing = record.trailingSilence else { return "-" }
        return String(format: "%.3f s leading, %.3f s trailing", leading, trailing)
    }

    /// A value with where it came from, e.g. "124 (from the file name)".
    private static func sourced(_ value: String, _ source: EvidenceSource?) -> String {
        guard let source, value != "-" else { return value }
        let origin = switch source {
        case .embedded: "the file's own metadata"
        case .filename: "the file name"
        case .folder: "a folder's name"
        case .audio: "the audio"
        }
        return "\(value) (from \(origin))"
    }

    private static func date(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
