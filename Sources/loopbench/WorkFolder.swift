import ArgumentParser
import Foundation

/// Where a benchmark builds its library: `--folder` (kept afterwards), or a
/// temporary folder removed when the benchmark ends.
struct WorkFolderOption: ParsableArguments {
    @Option(help: ArgumentHelp("Work folder (kept); a temporary one is used and removed otherwise.", valueName: "dir"))
    var folder: String?

    /// Creates an empty work folder with a `library` inside, runs `body`, and cleans up.
    func use<T>(named name: String, emptied: Bool = true, _ body: (_ work: String, _ library: String) throws -> T) throws -> T {
        let (work, library) = try prepare(named: name, emptied: emptied || folder == nil)
        defer { cleanUp(work) }
        return try body(work, library)
    }

    /// `use` for async work; `emptied: false` keeps what a kept --folder already holds.
    func useAsync<T>(named name: String, emptied: Bool = true, _ body: (_ work: String, _ library: String) async throws -> T) async throws -> T {
        let (work, library) = try prepare(named: name, emptied: emptied || folder == nil)
        defer { cleanUp(work) }
        return try await body(work, library)
    }

    private func prepare(named name: String, emptied: Bool = true) throws -> (work: String, library: String) {
        let work = folder ?? NSTemporaryDirectory() + "\(name)-\(getpid())"
        let library = work + "/library"
        if emptied { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
        return (work, library)
    }

    /// A temporary folder goes; one given with --folder is kept.
    private func cleanUp(_ work: String) {
        if folder == nil { try? FileManager.default.removeItem(atPath: work) }
    }
}
