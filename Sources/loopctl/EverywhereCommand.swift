import ArgumentParser
import Foundation
import LoopRPC

/// `loopctl everywhere ...`: favourites and collections kept in the shared catalogue, over every
/// server's sounds, through a loopweb server with a catalogue (`--server`, as the token's account).
struct EverywhereCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "everywhere",
        abstract: "Favourites and collections in the shared catalogue, over every server's sounds (through --server).",
        discussion: """
            These live in the shared catalogue, so every server with that catalogue sees the same; each \
            server's own favourites and collections (loopctl fav, loopctl collection) stay apart. Sounds \
            are named HOST:ID, as loopctl search --everywhere lists them.

            Examples:
              loopctl --server https://studio.example everywhere fav studio:42 friend:7
              loopctl everywhere favs
              loopctl everywhere create 'Session 12' --shared
              loopctl everywhere add 'Session 12' studio:42 friend:7
              loopctl everywhere show 'Session 12' --owner alice
            """,
        subcommands: [Favourites.self, Favourite.self, Collections.self, Create.self, Delete.self, Add.self, Remove.self, Move.self, Show.self],
        defaultSubcommand: Favourites.self
    )

    /// The catalogue through the server the global options name; without one, a usage error.
    static func client(_ global: GlobalOptions) throws -> CatalogUserDataClient {
        CatalogUserDataClient(server: try global.requiredRemote("the shared catalogue is reached"))
    }

    /// Changes sounds one by one; a refusal stops there, after saying how many were done.
    static func each(_ sounds: [CatalogSoundArgument], done: (Int) -> String, _ change: (CatalogSoundArgument) throws(RPCClientError) -> Bool) throws -> Int {
        var changed = 0
        for (index, sound) in sounds.enumerated() {
            do {
                if try change(sound) { changed += 1 }
            } catch {
                if index > 0 { FileHandle.standardError.write(Data("loopctl: \(done(changed))\n".utf8)) }
                FileHandle.standardError.write(Data("loopctl: \(sound): \(error.description)\n".utf8))
                throw ExitCode(ExitCodes.code(for: error))
            }
        }
        return changed
    }

    struct Favourites: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "favs", abstract: "List your favourites in the catalogue.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let client = try EverywhereCommand.client(global)
            let sounds = try GlobalOptions.reporting { () throws(RPCClientError) in try client.favourites() }
            if global.json { return try global.printJSON(sounds) }
            output(sounds.isEmpty ? "No favourites in the catalogue yet: mark one with loopctl everywhere fav HOST:ID." : EverywhereSearch.render(sounds))
        }
    }

    struct Favourite: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fav", abstract: "Mark sounds of any server as favourites (or with --remove, unmark them).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Sounds as HOST:ID.", valueName: "host:id")) var sounds: [CatalogSoundArgument]
        @Flag(help: "Remove from your favourites.") var remove = false

        func validate() throws {
            if sounds.isEmpty { throw ValidationError("Name sounds as HOST:ID (loopctl search --everywhere lists them).") }
        }

        func run() throws {
            let client = try EverywhereCommand.client(global)
            let verb = remove ? "Removed" : "Marked"
            let count = try EverywhereCommand.each(sounds, done: { "\(verb) \($0) before that." }) { sound throws(RPCClientError) in
                try client.setFavourite(sound, !remove)
                return true
            }
            if global.json { return try global.printJSON(["changed": count]) }
            output("\(verb) \(count) sound\(count == 1 ? "" : "s") \(remove ? "from" : "as") your favourites in the catalogue.")
        }
    }

    struct Collections: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your collections in the catalogue and those shared with everyone.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let client = try EverywhereCommand.client(global)
            let collections = try GlobalOptions.reporting { () throws(RPCClientError) in try client.collections() }
            if global.json { return try global.printJSON(collections) }
            guard !collections.isEmpty else { return output("No collections in the catalogue yet: make one with loopctl everywhere create NAME.") }
            let rows = collections.map { [$0.name, $0.owner, $0.shared ? "shared" : "private", String($0.items)] }
            output(RecordTable.align([["NAME", "OWNER", "VISIBILITY", "SOUNDS"]] + rows, rightAligned: [3]))
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a collection in the catalogue; for one of yours that exists, set whether it is shared.",
            discussion: "Sharing needs the writer role."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its name.") var name: String
        @Flag(help: "Visible to everyone.") var shared = false

        func run() throws {
            let client = try EverywhereCommand.client(global)
            let made = try GlobalOptions.reporting { () throws(RPCClientError) in try client.create(name, shared: shared) }
            if global.json { return try global.printJSON(made) }
            output("'\(made.name)' is a \(made.shared ? "shared" : "private") collection in the catalogue, with \(made.items) sound\(made.items == 1 ? "" : "s").")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one of your collections in the catalogue (its sounds stay where they are).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its name.") var name: String

        func run() throws {
            let client = try EverywhereCommand.client(global)
            try GlobalOptions.reporting { () throws(RPCClientError) in try client.delete(name) }
            if global.json { return try global.printJSON(["deleted": name]) }
            output("Deleted the collection '\(name)' from the catalogue.")
        }
    }

    /// A collection and the sounds to put in or take out.
    struct Items: ParsableArguments {
        @Argument(help: "The collection's name.") var name: String
        @Argument(help: ArgumentHelp("Sounds as HOST:ID.", valueName: "host:id")) var sounds: [CatalogSoundArgument]

        func validate() throws {
            if sounds.isEmpty { throw ValidationError("Name sounds as HOST:ID (loopctl search --everywhere lists them).") }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add sounds of any server to one of your collections in the catalogue, at its end.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var items: Items

        func run() throws {
            try EverywhereCommand.change(items, remove: false, global)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take sounds out of one of your collections in the catalogue.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var items: Items

        func run() throws {
            try EverywhereCommand.change(items, remove: true, global)
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the order of one of your collections in the catalogue: move sounds before another, to the start or to the end.",
            discussion: "Example: loopctl everywhere move 'Session 12' friend:7 --before studio:42"
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var items: Items
        @Option(help: ArgumentHelp("The sound they go before; without it they go to the end.", valueName: "host:id")) var before: CatalogSoundArgument?
        @Flag(help: "Move them to the start.") var toStart = false

        func validate() throws {
            if before != nil && toStart { throw ValidationError("Give --before or --to-start, not both.") }
        }

        func run() throws {
            let client = try EverywhereCommand.client(global)
            let changed = try GlobalOptions.reporting { () throws(RPCClientError) in
                try client.move(items.name, items.sounds, before: before, toStart: toStart)
            }
            if global.json { return try global.printJSON(["changed": changed]) }
            output("Moved \(items.sounds.count) sound\(items.sounds.count == 1 ? "" : "s") in '\(items.name)'; \(changed) changed place.")
        }
    }

    static func change(_ items: Items, remove: Bool, _ global: GlobalOptions) throws {
        let client = try client(global), name = items.name, sounds = items.sounds
        let verb = remove ? "Removed" : "Added"
        let changed = try each(sounds, done: { "\(verb) \($0) before that." }) { sound throws(RPCClientError) in
            try client.change(name, sound, remove: remove)
        }
        if global.json { return try global.printJSON(["changed": changed, "sounds": sounds.count]) }
        output(remove
            ? "Removed \(changed) sound\(changed == 1 ? "" : "s") from '\(name)'."
            : "Added \(changed) sound\(changed == 1 ? "" : "s") to '\(name)' (\(sounds.count - changed) already in it).")
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a collection's sounds in order: one of yours, or one shared by --owner.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name.") var name: String
        @Option(help: "The account that shares it (yours by default).") var owner: String?

        func run() throws {
            let client = try EverywhereCommand.client(global)
            let contents = try GlobalOptions.reporting { () throws(RPCClientError) in try client.show(name, owner: owner) }
            if global.json { return try global.printJSON(contents) }
            let summary = contents.collection
            output("\(summary.name): \(summary.shared ? "shared" : "private") collection of \(summary.owner) in the catalogue, \(summary.items) sound\(summary.items == 1 ? "" : "s").")
            if !contents.sounds.isEmpty { output(EverywhereSearch.render(contents.sounds)) }
        }
    }
}
