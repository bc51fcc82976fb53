import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC

/// `loopctl view ...`: the views tree ("smart folders") loopd keeps in each root.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Saved searches shown as folders in the views tree, and rebuilding the tree.",
        discussion: """
            With [views] enabled = true in loopd.toml, each root gets a folder (default _Index) of links, kept in \
            step with the index: Loops/<BPM band>/<key>/, One-shots/<instrument>/, Instruments/<instrument>/, \
            Searches/<name>/, Favourites/<user>/, Collections/<shared collection>/, plus catalog.html and catalog.csv.
            """,
        subcommands: [List.self, Add.self, Remove.self, Sync.self, Rebuild.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the saved searches shown as views.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let views: ViewList = try global.call(LoopMethod.views)
            if global.json { return try global.printJSON(views) }
            if views.folder == nil { output("Views are off: set [views] enabled = true in loopd.toml.") }
            guard !views.searches.isEmpty else { return output("No saved searches: add one with loopctl view add NAME QUERY.") }
            output(RecordTable.align([["NAME", "QUERY"]] + views.searches.map { [$0.name, $0.query] }, rightAligned: []))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a search as a view folder (Searches/NAME).",
            discussion: "Example: loopctl view add 'Dark kicks' 'kick tag:dark type:one-shot'"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The folder's name.") var name: String
        @Argument(help: "The query.") var query: String

        func run() throws {
            let view: SavedView = try global.call(LoopMethod.viewAdd, SavedView(name: name, query: query))
            if global.json { return try global.printJSON(view) }
            output("Saved the view '\(view.name)'.")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a saved view (its folder goes; the files stay).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The view's name.") var name: String

        func run() throws {
            let removed: ViewName = try global.call(LoopMethod.viewRemove, ViewName(name: name))
            if global.json { return try global.printJSON(removed) }
            output("Removed the view '\(removed.name)'.")
        }
    }

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until the views and the catalogue show every change made so far.",
            discussion: "Run loopctl sync first to wait for new files to be indexed."
        )
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let reply: ViewsSyncReply = try global.call(LoopMethod.viewsSync)
            if global.json { return try global.printJSON(reply) }
            output(String(format: "The views are up to date (waited %.1f ms).", reply.waitedMs))
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every views folder and make it again from the index.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let report: ViewsReport = try global.call(LoopMethod.viewsRebuild)
            if global.json { return try global.printJSON(report) }
            output("Rebuilt the views: \(report.entries) entries for \(report.files) files in \(Int(report.milliseconds)) ms.")
            for failure in report.failures.prefix(10) { complain(failure) }
            if !report.failures.isEmpty { throw ExitCode.ioFailure }
        }
    }
}
