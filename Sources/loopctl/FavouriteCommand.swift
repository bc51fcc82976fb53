import ArgumentParser
import LoopAPI
import LoopCore
import LoopRPC

struct FavouriteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fav",
        abstract: "Mark files as your favourites (or with --remove, unmark them).",
        discussion: """
            Favourites belong to the Unix user running loopctl, as the daemon sees it through the socket; \
            nobody else sees or changes them. List yours with: loopctl search fav:yes

            Examples:
              loopctl fav Kick_01.wav 42
              loopctl fav --where 'tag:dark type:one-shot'
              loopctl fav 42 --remove
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: FileSelectionOptions

    @Flag(help: "Remove from your favourites.")
    var remove = false

    func run() throws {
        let reply: ChangeReply = try global.call(LoopMethod.favourite, FavouriteRequest(files: target.selection, favourite: !remove))
        if global.json { return try global.printJSON(reply) }
        output(remove
            ? "Removed \(reply.changed) of \(reply.files) file\(reply.files == 1 ? "" : "s") from your favourites."
            : "Added \(reply.changed) of \(reply.files) file\(reply.files == 1 ? "" : "s") to your favourites.")
    }
}
