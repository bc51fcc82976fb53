import ArgumentParser
import Foundation
import LoopAPI
import LoopRPC

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Wait until every change made to the library before this call is indexed."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let reply: SyncReply = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.sync) }
        if global.json { return try global.printJSON(reply) }
        output(String(format: "The index is up to date (waited %.1f ms).", reply.waitedMs))
    }
}
