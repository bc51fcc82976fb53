import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

/// `loopctl collection ...`: named, ordered sets of samples (the "cart").
struct CollectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection",
        abstract: "Make and fill collections: named, ordered sets of samples, private or shared.",
        discussion: """
            A private collection is yours alone. A shared one is seen by everyone and changed by those with \
            write access. Search inside one with in:"NAME"; copy it out with loopctl export.
            """,
        subcommands: [List.self, Create.self, Delete.self, Add.self, Remove.self, Move.self, Share.self, Show.self],
        defaultSubcommand: List.self
    )

    /// Adds or removes the selected files and reports it.
    static func changeItems(_ method: RPCMethod<CollectionRequest, ChangeReply>, _ name: String, _ target: FileSelectionOptions, _ global: GlobalOptions, sentence: (ChangeReply) -> String) throws {
        let reply: ChangeReply = try global.call(method, CollectionRequest(name: name, files: target.selection))
        if global.json { return try global.printJSON(reply) }
        output(sentence(reply))
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your collections and the shared ones.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let collections: [CollectionSummary] = try global.call(LoopMethod.collections)
            if global.json { return try global.printJSON(collections) }
            guard !collections.isEmpty else { return output("No collections yet: make one with loopctl collection create NAME.") }
            let rows = collections.map { [$0.name, $0.owner, $0.shared ? "shared" : "private", String($0.items)] }
            output(RecordTable.align([["NAME", "OWNER", "VISIBILITY", "FILES"]] + rows, rightAligned: [3]))
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make an empty collection.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its name.") var name: String
        @Flag(help: "Visible to everyone (needs write access).") var shared = false

        func run() throws {
            let summary: CollectionSummary = try global.call(LoopMethod.collectionCreate, CollectionRequest(name: name, shared: shared))
            if global.json { return try global.printJSON(summary) }
            output("Created the \(summary.shared ? "shared" : "private") collection '\(summary.name)'.")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a collection (its files stay in the library).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Its name.") var name: String

        func run() throws {
            let summary: CollectionSummary = try global.call(LoopMethod.collectionDelete, CollectionRequest(name: name))
            if global.json { return try global.printJSON(summary) }
            output("Deleted the collection '\(summary.name)' (\(summary.items) files; the files stay in the library).")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add files to a collection, at its end.",
            discussion: "Example: loopctl collection add 'Session 12' --where 'tag:dark bpm:120..128'"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name.") var name: String
        @OptionGroup var target: FileSelectionOptions

        func run() throws {
            try CollectionCommand.changeItems(LoopMethod.collectionAdd, name, target, global) { reply in
                "Added \(reply.changed) file\(reply.changed == 1 ? "" : "s") to '\(name)' (\(reply.files - reply.changed) already in it)."
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take files out of a collection (not out of the library).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name.") var name: String
        @OptionGroup var target: FileSelectionOptions

        func run() throws {
            try CollectionCommand.changeItems(LoopMethod.collectionRemove, name, target, global) { reply in
                "Removed \(reply.changed) file\(reply.changed == 1 ? "" : "s") from '\(name)'."
            }
        }
    }

    struct Share: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Share one of your collections with everyone, or make a shared one private again (needs write access)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name.") var name: String
        @Flag(help: "Make it private to its owner again.") var `private` = false

        func run() throws {
            let summary: CollectionSummary = try global.call(LoopMethod.collectionShare, CollectionRequest(name: name, shared: !`private`))
            if global.json { return try global.printJSON(summary) }
            output(summary.shared ? "'\(summary.name)' is shared with everyone now." : "'\(summary.name)' is private to \(summary.owner) now.")
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change the order of a collection: move files before another one, to the start or to the end.",
            discussion: "Example: loopctl collection move 'Session 12' 41 17 --before 8 (ids as loopctl collection show lists them)"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name.") var name: String
        @OptionGroup var target: FileSelectionOptions
        @Option(help: ArgumentHelp("The file (id or path) they go before; without it they go to the end.", valueName: "file"))
        var before: FileArgument?
        @Flag(help: "Move them to the start.") var toStart = false

        func validate() throws {
            if before != nil && toStart { throw ValidationError("Give --before or --to-start, not both.") }
        }

        func run() throws {
            let anchor = try beforeID()
            let request = CollectionMoveRequest(name: name, files: target.selection, before: anchor, toStart: toStart)
            let reply: ChangeReply = try global.call(LoopMethod.collectionMove, request)
            if global.json { return try global.printJSON(reply) }
            output("Moved \(reply.files) file\(reply.files == 1 ? "" : "s") in '\(name)'; \(reply.changed) changed place.")
        }

        /// The id to move before, when one is named.
        private func beforeID() throws -> Int64? {
            guard let before else { return nil }
            if let id = before.reference.id { return id }
            let record: SampleRecord = try global.call(LoopMethod.get, before.reference)
            return record.id
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a collection's files in order.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name.") var name: String

        func run() throws {
            let contents: CollectionContents = try global.call(LoopMethod.collectionShow, CollectionRequest(name: name))
            if global.json { return try global.printJSON(contents) }
            let summary = contents.collection
            output("\(summary.name): \(summary.shared ? "shared" : "private") collection of \(summary.owner), \(summary.items) file\(summary.items == 1 ? "" : "s").")
            if !contents.records.isEmpty { output(RecordTable.render(contents.records)) }
        }
    }
}
