import ArgumentParser
import LoopAPI
import LoopCore
import LoopRPC

/// Files named on the command line (paths or ids) or by a query.
struct FileSelectionOptions: ParsableArguments {
    @Argument(help: "Files: paths or index ids.")
    var files: [FileArgument] = []

    @Option(name: .customLong("where"), help: ArgumentHelp("Every file matching this query instead.", valueName: "query"))
    var query: String?

    func validate() throws {
        if files.isEmpty && query == nil { throw ValidationError("Name files (paths or ids) or give --where QUERY.") }
        if !files.isEmpty && query != nil { throw ValidationError("Give files or --where, not both.") }
    }

    var selection: FileSelection {
        if let query { return FileSelection(query: query) }
        let ids = files.compactMap(\.reference.id), paths = files.compactMap(\.reference.path)
        return FileSelection(ids: ids.isEmpty ? nil : ids, paths: paths.isEmpty ? nil : paths)
    }
}
