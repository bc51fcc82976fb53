import ArgumentParser
import LoopRPC

struct WaveformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "waveform", abstract: "Draw a file's waveform overview in the terminal.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file: a path or an index id.")
    var file: FileArgument

    @Option(help: "Columns to draw.")
    var width: Int = 72

    @Option(help: "Rows to draw (even numbers look best).")
    var height: Int = 8

    func validate() throws {
        if !(8...1000).contains(width) { throw ValidationError("--width must be between 8 and 1000.") }
        if !(2...100).contains(height) { throw ValidationError("--height must be between 2 and 100.") }
    }

    func run() throws {
        let reply: WaveformReply = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.waveform, params: file.reference) }
        if global.json { return try global.printJSON(reply) }
        output(reply.path)
        output(WaveformRenderer(width: width, height: height).render(minimums: reply.min, maximums: reply.max))
    }
}
