import ArgumentParser
import LoopCore
import LoopRPC

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find samples by words in their path and by analysed values.",
        discussion: """
            Every word must appear in the file's path below its library root (case-insensitive). \
            Ranges take the forms 120..128, 120.., ..128, <2, >=1 or a single number.
            Example: loopctl search kick --format wav --duration '<1'
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Words to look for in names and folders.")
    var words: [String] = []

    @Option(help: ArgumentHelp("Tempo range, e.g. 120..128.", valueName: "range"))
    var bpm: NumericRange?

    @Option(help: ArgumentHelp("Musical key, e.g. Am or F#.", valueName: "key"))
    var key: String?

    @Option(help: ArgumentHelp("loop or one-shot.", valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp("Duration in seconds, e.g. <2 or 1..4.", valueName: "range"))
    var duration: NumericRange?

    @Option(help: ArgumentHelp("Container format: wav, aiff, flac, ogg, mp3.", valueName: "format"))
    var format: String?

    @Option(help: "Most results to show.")
    var limit: Int = 50

    @Flag(help: "Show every result (ignores --limit).")
    var all = false

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if let type, !["loop", "one-shot"].contains(type) { throw ValidationError("--type must be 'loop' or 'one-shot'.") }
    }

    func run() throws {
        // Ask for one more than shown, to tell the user when results were cut.
        let query = SearchQuery(
            text: words.joined(separator: " "), bpm: bpm, key: key, type: type,
            duration: duration, format: format, limit: all ? nil : limit + 1
        )
        var records: [SampleRecord] = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.search, params: query) }
        let truncated = !all && records.count > limit
        if truncated { records.removeLast(records.count - limit) }
        if global.json { return try global.printJSON(records) }
        if records.isEmpty {
            output("No matches.")
            return
        }
        output(RecordTable.render(records))
        if truncated { output("Showing the first \(limit) matches; use --limit N or --all for more.") }
    }
}

extension NumericRange: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}
