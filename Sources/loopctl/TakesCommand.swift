import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct TakesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "takes",
        abstract: "List every version of a song's takes, with the name each was added under and when.",
        discussion: """
            For roots whose path template (library.templates in loopd.toml) names {song}, {track}, {version}...

            Example: loopctl takes --song 'Third Room' --track Bass
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var takeOptions: TakeOptions

    func validate() throws {
        if takeOptions.song == nil { throw ValidationError("Give --song (and optionally --track, --artist).") }
    }

    func run() throws {
        var records = try global.findAll(FindRequest(query: takeOptions.query, sort: .added, descending: true, limit: FindRequest.maxLimit))
        records.sort { ($0.take?.track ?? "", $0.addedAt, $0.id) < ($1.take?.track ?? "", $1.addedAt, $1.id) }
        if global.json { return try global.printJSON(records) }
        guard !records.isEmpty else {
            output("No takes match.")
            throw ExitCode.notFound
        }
        let rows = records.map { record -> [String] in
            [
                record.take?.artist ?? "-", record.take?.track ?? "-", record.take?.version ?? "-",
                record.originalName ?? (record.path as NSString).lastPathComponent,
                Formatting.date(record.addedAt), record.addedBy ?? "-", String(record.id),
            ]
        }
        output(RecordTable.align([["ARTIST", "TRACK", "VERSION", "ORIGINAL NAME", "ADDED", "BY", "ID"]] + rows, rightAligned: [6]))
    }
}
