import ArgumentParser
import Foundation
import LoopCore
import LoopRPC

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the index database while loopd runs.",
        discussion: """
            loopd writes the copy with SQLite's online backup, so the file must be somewhere loopd's user \
            may write, outside the library; it needs write access. To restore: stop loopd, copy the backup \
            over index.sqlite in loopd's state folder (and delete index.sqlite-wal and index.sqlite-shm \
            beside it), then start loopd; it rescans the library and catches up with files changed since.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Where to write the copy.")
    var file: String

    func run() throws {
        let reply: BackupReply = try global.call(LoopMethod.backup, BackupRequest(path: absolute(file)))
        if global.json { return try global.printJSON(reply) }
        output("Backed up the index to \(reply.path) (\(Formatting.bytes(reply.bytes))).")
    }
}

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show who loopd takes you for, and whether you may change shared data.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report: CallerReport = try global.call(LoopMethod.whoami)
        if global.json { return try global.printJSON(report) }
        output("\(report.user) (uid \(report.uid)): \(report.writer ? "may change shared data" : "may read, and change only your favourites and private collections").")
    }
}
