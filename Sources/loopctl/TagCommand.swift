import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add or remove user tags on files, or on a folder (its tags apply to everything inside).",
        discussion: """
            Tags are shared: changing them needs write access (see access.writers in loopd.toml). \
            They stay with a file when it is renamed or moved, and a folder's stay with the folder. \
            Find them with tag:NAME, which also matches the automatic tags taken from names (kick, bass...).

            Examples:
              loopctl tag Kick_01.wav --add dark --add punchy
              loopctl tag --where 'bpm:120..128 type:loop' --add house
              loopctl tag --folder ~/Samples/Vault --add archive
              loopctl tag 42 --remove punchy
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files: paths or index ids.")
    var files: [FileArgument] = []

    @Option(name: .customLong("where"), help: ArgumentHelp("Every file matching this query.", valueName: "query"))
    var query: String?

    @Option(help: ArgumentHelp("Tag a folder instead of files.", valueName: "folder"))
    var folder: String?

    @Option(help: ArgumentHelp("A tag to add (repeat for more).", valueName: "tag"))
    var add: [String] = []

    @Option(help: ArgumentHelp("A tag to remove (repeat for more).", valueName: "tag"))
    var remove: [String] = []

    func validate() throws {
        let targets = (files.isEmpty ? 0 : 1) + (query == nil ? 0 : 1) + (folder == nil ? 0 : 1)
        if targets != 1 { throw ValidationError("Name files, or give --where QUERY, or --folder DIR (one of them).") }
        if add.isEmpty && remove.isEmpty { throw ValidationError("Give --add TAG or --remove TAG.") }
    }

    func run() throws {
        var request = TagRequest(add: add, remove: remove)
        if let folder {
            request.folder = FileArgument(argument: folder)?.reference.path ?? folder
        } else {
            var selection = FileSelectionOptions()
            selection.files = files
            selection.query = query
            request.files = selection.selection
        }
        let reply: ChangeReply = try global.call(LoopMethod.tag, request)
        if global.json { return try global.printJSON(reply) }
        let files = "\(reply.files) file\(reply.files == 1 ? "" : "s")"
        let target = request.folder.map { "the folder \($0) (\(files) inside)" } ?? files
        output("Tagged \(target): \(reply.changed) tag\(reply.changed == 1 ? "" : "s") changed.")
    }
}
