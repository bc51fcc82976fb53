import ArgumentParser
import Foundation
import LoopCore
import LoopRPC

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Show everything the index holds about one file.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file: a path or an index id.")
    var file: FileArgument

    func run() throws {
        let record: SampleRecord = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.get, params: file.reference) }
        if global.json { return try global.printJSON(record) }
        var lines: [(String, String)] = [
            ("Path", record.path), ("Id", String(record.id)), ("Root", record.root),
            ("Size", Formatting.bytes(record.size)),
            ("Format", record.format ?? "-"),
            ("Sample rate", record.sampleRate.map { "\($0) Hz" } ?? "-"),
            ("Channels", record.channels.map(String.init) ?? "-"),
            ("Bit depth", record.bitDepth.map(String.init) ?? "-"),
            ("Duration", record.duration.map { String(format: "%.3f s", $0) } ?? "-"),
            ("Peak", record.peakDb.map { String(format: "%.2f dBFS", $0) } ?? "-"),
            ("RMS", record.rmsDb.map { String(format: "%.2f dBFS", $0) } ?? "-"),
            ("BPM", Formatting.number(record.bpm)),
            ("Key", record.key ?? "-"),
            ("Type", record.type ?? "-"),
            ("SHA-256", record.hash ?? "-"),
            ("Added", Self.date(record.addedAt)),
            ("Analysed", Self.date(record.analyzedAt)),
        ]
        if let error = record.error { lines.append(("Error", error)) }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            output(label + ":" + String(repeating: " ", count: width - label.count + 1) + value)
        }
    }

    private static func date(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = .current
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
