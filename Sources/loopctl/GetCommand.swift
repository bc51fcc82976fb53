import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Copy files out of the library, verifying each against its indexed hash.",
        discussion: """
            The source is an id, a path, or a query (every match is copied). A file whose bytes no longer \
            match the SHA-256 stored when it was indexed is not copied: the error names it and the exit code \
            is 5 (bit rot, or a change the daemon has not seen). DEST is a folder (existing, or ending in /) or, \
            for one file, a file name. Nothing is overwritten without --force.

            Examples:
              loopctl get 42 ~/Desktop/
              loopctl get 'tag:dark type:one-shot' ~/Desktop/Dark
              loopctl get --song 'Third Room' --track Bass ~/Desktop/   (the newest version)
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "An id, a path or a query; then the destination.")
    var arguments: [String]

    @Flag(help: "Replace files that already exist.")
    var force = false

    @OptionGroup var takeOptions: TakeOptions

    func validate() throws {
        let needed = takeOptions.take == nil ? 2 : 1
        if arguments.count != needed {
            throw ValidationError(takeOptions.take == nil ? "Give the file (an id, a path or a query) and the destination." : "With take fields, give only the destination.")
        }
    }

    func run() throws {
        let destination = absolute(arguments[arguments.count - 1])
        let records = try sources()
        guard !records.isEmpty else {
            complain("Nothing matches \(takeOptions.take == nil ? "'\(arguments[0])'" : "that take").")
            throw ExitCode.notFound
        }
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder)
        let plan: CopyPlan
        if records.count == 1, !(exists && isFolder.boolValue), !arguments[arguments.count - 1].hasSuffix("/") {
            plan = CopyPlan(items: [CopyPlan.Item(record: records[0], destination: destination)])
        } else {
            do {
                try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
            } catch {
                complain("Cannot create the folder \(destination): \((error as NSError).localizedDescription).")
                throw ExitCode.ioFailure
            }
            plan = CopyPlan(records: records, into: destination)
        }
        if let problem = plan.problem(replace: force) {
            complain(problem.sentence)
            throw problem.exitCode
        }
        let bytes = try plan.run(label: "Copying", replace: force, from: global.remote())
        if global.json { return try global.printJSON(plan.items.map(\.destination)) }
        for item in plan.items { output(item.destination) }
        if plan.items.count > 1 { output("Copied \(plan.items.count) files (\(Formatting.bytes(bytes))); every copy matched its SHA-256.") }
    }

    private func sources() throws -> [SampleRecord] {
        if takeOptions.take != nil {
            let found = try global.findAll(FindRequest(query: takeOptions.query, sort: .added, limit: FindRequest.maxLimit))
            // Without --version: the newest version of each track.
            guard takeOptions.version == nil else { return found }
            var newest: [String: SampleRecord] = [:]
            for record in found {
                let track = record.take?.track ?? ""
                if let current = newest[track], current.addedAt >= record.addedAt { continue }
                newest[track] = record
            }
            return newest.values.sorted { $0.path < $1.path }
        }
        let source = arguments[0]
        if Int64(source) != nil || FileManager.default.fileExists(atPath: source), let reference = FileArgument(argument: source)?.reference {
            return [try global.call(LoopMethod.get, reference)]
        }
        return try global.findAll(FindRequest(query: source, limit: FindRequest.maxLimit))
    }
}
