import ArgumentParser
import Foundation
import LoopCore
import LoopIndex
import LoopViews

/// Rebuilding every view folder and the catalogue from scratch for a large synthetic index.
struct ViewsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views",
        abstract: "Time to rebuild the views tree and catalogue from scratch, and to publish a change, on a synthetic index.",
        discussion: "Rows are written straight into the database (paths of real files in the work folder's library)."
    )

    @Option(help: "Files in the synthetic index.")
    var rows = 100_000

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var files: Int
        var entries: Int
        var readMs: Double
        var layoutMs: Double
        var fromScratchMs: Double
        var catalogMs: Double
        var catalogBytes: Int
        var republishUnchangedMs: Double
    }

    func run() async throws {
        try await workFolder.useAsync(named: "loopbench-views") { work, library in
            let store = try IndexStore(path: work + "/index.sqlite")
            try SyntheticLibrary.generate(rows: rows, library: library, into: store)

            let folder = library + "/_Index"
            var clock = ContinuousClock.now
            let source = try await store.viewSource()
            let readMs = (ContinuousClock.now - clock).milliseconds
            clock = .now
            let entries = ViewLayout.entries(source)
            let layoutMs = (ContinuousClock.now - clock).milliseconds
            let writer = ViewFolderWriter(folder: folder, kind: .symlink)
            writer.reset()
            clock = .now
            _ = writer.publish(entries)
            let publishMs = (ContinuousClock.now - clock).milliseconds
            clock = .now
            if let failure = CatalogWriter.write(source.files, root: library, into: folder) { throw ValidationError(failure) }
            let catalogMs = (ContinuousClock.now - clock).milliseconds
            clock = .now
            _ = writer.publish(ViewLayout.entries(try await store.viewSource(overviewPoints: 0)))
            let republishMs = (ContinuousClock.now - clock).milliseconds
            let catalogBytes = (try? FileManager.default.attributesOfItem(atPath: folder + "/catalog.html")[.size] as? Int) ?? 0
            try printJSON(Report(
                files: rows, entries: entries.count, readMs: readMs, layoutMs: layoutMs, fromScratchMs: readMs + layoutMs + publishMs + catalogMs,
                catalogMs: catalogMs, catalogBytes: catalogBytes, republishUnchangedMs: republishMs
            ))
        }
    }
}
