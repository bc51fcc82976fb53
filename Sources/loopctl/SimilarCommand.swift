import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "List the samples that sound most like one file.",
        discussion: "Example: loopctl similar ~/Samples/Kicks/Kick_01.wav --where 'type:one-shot' --limit 10"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file to start from: a path or an index id.")
    var file: FileArgument

    @Option(name: .customLong("where"), help: ArgumentHelp("Only results matching this query.", valueName: "query"))
    var query: String?

    @Option(help: "Most results.")
    var limit = 20

    func validate() throws {
        if !(1...1000).contains(limit) { throw ValidationError("--limit must be between 1 and 1000.") }
    }

    func run() throws {
        let reference = file.reference
        let request = SimilarRequest(id: reference.id, path: reference.path, where: query, limit: limit)
        let matches: [SimilarMatch] = try global.call(LoopMethod.similar, request)
        if global.json { return try global.printJSON(matches) }
        guard !matches.isEmpty else {
            output("No other sample to compare with.")
            throw ExitCode(1)
        }
        let width = matches.map { String($0.record.id).count }.max() ?? 2
        output("DIST  " + "ID".padding(toLength: max(width, 2), withPad: " ", startingAt: 0) + "  FILE")
        for match in matches {
            output(String(format: "%4.2f  ", match.distance) + String(match.record.id).padding(toLength: max(width, 2), withPad: " ", startingAt: 0) + "  " + match.record.path)
        }
    }
}
