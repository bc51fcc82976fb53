import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC

/// `loopctl delete`: files into their root's trash folder, never unlinked at once.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Move files into their root's trash folder (restorable with loopctl trash restore).",
        discussion: """
            Changes shared data: root, loopd's own user and the writers group only. loopctl moves the files \
            with your rights (a hard link in .Trash-openloop, then the old name goes); loopweb empties what \
            is older than its --empty-trash-after-days, or loopctl trash empty does.

            Examples:
              loopctl delete 'Drums/Kick 01.wav' 42
              loopctl delete --where 'folder:Old'
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: FileSelectionOptions

    func run() throws {
        // loopd plans by id: paths and queries are resolved first.
        var ids = target.files.compactMap(\.reference.id)
        for path in target.files.compactMap(\.reference.path) {
            ids.append(try global.call(LoopMethod.get, FileReference(path: path)).id)
        }
        if let query = target.query { ids += try global.findAll(FindRequest(query: query)).map(\.id) }
        let plan = ids.isEmpty ? TrashPlan(entries: []) : try global.call(LoopMethod.trashPrepare, FileSelection(ids: ids))
        var moved = TrashPlan(entries: [])
        var failures: [String] = []
        for entry in plan.entries {
            do {
                try NoReplaceMove.move(entry.path, to: entry.trashPath)
                moved.entries.append(entry)
            } catch {
                failures.append("\(entry.path): \(error.description)")
            }
        }
        // What was moved is recorded even when some files could not be.
        let items = moved.entries.isEmpty ? [] : try global.call(LoopMethod.trashComplete, moved)
        for failure in failures { FileHandle.standardError.write(Data("loopctl: cannot delete \(failure)\n".utf8)) }
        if global.json {
            try global.printJSON(items)
        } else {
            for item in items { output("Moved to the trash (item \(item.id)): \(item.originalPath)") }
            if plan.entries.isEmpty { output("No files matched.") }
        }
        if !failures.isEmpty { throw ExitCode(ExitCodes.failure) }
    }
}

/// `loopctl trash`: what was deleted, put back, or removed for good.
struct TrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trash",
        abstract: "List, restore or empty the trash (files deleted with loopctl delete or over the web).",
        subcommands: [List.self, Restore.self, Empty.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "What is in the trash, newest first.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let items = try global.call(LoopMethod.trashList, TrashListRequest())
            if global.json { return try global.printJSON(items) }
            if items.isEmpty { return output("The trash is empty.") }
            for item in items {
                output("\(item.id)\t\(Formatting.date(item.trashedAt))\t\(item.trashedBy)\t\(Formatting.bytes(item.size))\t\(item.originalPath)")
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore", abstract: "Put trash items back where they were (never over a file).")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Trash item ids (loopctl trash list shows them).")
        var ids: [Int64]

        func run() throws {
            let items = try global.call(LoopMethod.trashRestore, TrashItemsRequest(ids: ids))
            var restored: [Int64] = []
            var failed = false
            for item in items {
                do {
                    try NoReplaceMove.move(item.trashPath, to: item.originalPath)
                    restored.append(item.id)
                    if !global.json { output("Restored \(item.originalPath)") }
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("loopctl: cannot restore item \(item.id): \(error.description)\n".utf8))
                }
            }
            if !restored.isEmpty { _ = try global.call(LoopMethod.trashForget, TrashItemsRequest(ids: restored)) }
            if global.json { try global.printJSON(items.filter { restored.contains($0.id) }) }
            let missing = Set(ids).subtracting(items.map(\.id))
            if !missing.isEmpty { FileHandle.standardError.write(Data("loopctl: not in the trash: \(missing.sorted().map(String.init).joined(separator: ", "))\n".utf8)) }
            if failed || !missing.isEmpty { throw ExitCode(ExitCodes.failure) }
        }
    }

    struct Empty: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "empty", abstract: "Remove for good what was deleted before some days ago.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only what was deleted this many days ago or more (0: everything).", valueName: "days"))
        var olderThan = 30

        func validate() throws {
            if olderThan < 0 { throw ValidationError("--older-than must not be negative.") }
        }

        func run() throws {
            let cutoff = Date().timeIntervalSince1970 - Double(olderThan) * 86_400
            let items = try global.call(LoopMethod.trashList, TrashListRequest(olderThan: olderThan == 0 ? Date().timeIntervalSince1970 + 1 : cutoff))
            let gone = TrashFile.removeAll(items.map { ($0.id, $0.trashPath) }) { error in
                FileHandle.standardError.write(Data("loopctl: cannot remove \(error.description)\n".utf8))
            }
            if !gone.isEmpty { _ = try global.call(LoopMethod.trashForget, TrashItemsRequest(ids: gone)) }
            if global.json { return try global.printJSON(["removed": gone.count]) }
            output("Removed \(gone.count) file\(gone.count == 1 ? "" : "s") from the trash for good.")
        }
    }
}
