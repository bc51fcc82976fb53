import ArgumentParser
import LoopAPI
import LoopCore
import LoopRPC

struct DupesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dupes",
        abstract: "List files with identical content, and the space a cleanup would free."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report: DuplicatesReport = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.dupes) }
        if global.json { return try global.printJSON(report) }
        guard !report.groups.isEmpty else {
            output("No duplicates.")
            return
        }
        for group in report.groups {
            output("\(group.records.count) copies of \(Formatting.bytes(group.size)) (\(group.hash.prefix(12))):")
            for record in group.records { output("  \(record.path)") }
        }
        output("\(report.extraCopies) extra \(report.extraCopies == 1 ? "copy" : "copies"); removing them would free \(Formatting.bytes(report.reclaimableBytes)).")
    }
}
