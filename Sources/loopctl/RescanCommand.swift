import ArgumentParser
import Foundation
import LoopAPI
import LoopRPC

struct RescanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescan",
        abstract: "Walk the library (or one folder of it) again and queue what changed.",
        discussion: "Returns when the walk is done; analysis goes on behind it. Run 'loopctl sync' to wait for it."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A folder inside the library; every root when omitted.")
    var folder: String?

    func run() throws {
        let params = RescanParams(path: folder.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path })
        let reply: RescanReply = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.rescan, params: params) }
        if global.json { return try global.printJSON(reply) }
        output("Saw \(reply.filesSeen) files: \(reply.queued) queued for analysis, \(reply.removed) gone from disk.")
        for root in reply.missingRoots { output("Missing root (its files are kept): \(root)") }
    }
}
