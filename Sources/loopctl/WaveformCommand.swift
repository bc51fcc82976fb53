import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct WaveformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waveform",
        abstract: "Draw a file's waveform in the terminal, or export its peaks.",
        discussion: """
            --format dat writes BBC audiowaveform's .dat (version 2, 16-bit), which peaks.js and \
            waveform-data.js read, to --output or to standard output.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, dat
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The file: a path or an index id.")
    var file: FileArgument

    @Option(help: "text (a drawing) or dat (audiowaveform peaks).")
    var format: Format = .text

    @Option(help: "Frames per pixel for --format dat: 256 times a power of two.")
    var samplesPerPixel: Int = 256

    @Option(name: .customLong("output"), help: ArgumentHelp("Where to write --format dat (standard output when absent).", valueName: "file"))
    var outputFile: String?

    @Option(help: "Columns to draw.")
    var width: Int = 72

    @Option(help: "Rows to draw (even numbers look best).")
    var height: Int = 8

    func validate() throws {
        if !(8...1000).contains(width) { throw ValidationError("--width must be between 8 and 1000.") }
        if !(2...100).contains(height) { throw ValidationError("--height must be between 2 and 100.") }
        if outputFile != nil && format != .dat { throw ValidationError("--output is for --format dat.") }
    }

    func run() throws {
        switch format {
        case .text: try draw()
        case .dat: try export()
        }
    }

    private func draw() throws {
        let reply: WaveformReply = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.waveform, params: file.reference) }
        if global.json { return try global.printJSON(reply) }
        output(reply.path)
        output(WaveformRenderer(width: width, height: height).render(minimums: reply.min, maximums: reply.max))
    }

    private func export() throws {
        let params = PeaksParams(file: file.reference, samplesPerPixel: samplesPerPixel)
        let reply: PeaksReply = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.peaks, params: params) }
        if global.json { return try global.printJSON(reply) }
        guard let peaks = reply.peaks else { fail("loopd sent peaks that do not decode; is it the same version as loopctl?") }
        let bytes = Data(peaks.datFile)
        if let outputFile {
            do {
                try bytes.write(to: URL(fileURLWithPath: outputFile))
            } catch {
                fail("cannot write \(outputFile): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(bytes)
        }
    }

    /// One sentence on stderr and exit code 1, as for every other failure.
    private func fail(_ sentence: String) -> Never {
        FileHandle.standardError.write(Data("loopctl: \(sentence)\n".utf8))
        Foundation.exit(1)
    }
}
