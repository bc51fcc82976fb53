#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC
import LoopWatch

/// Decides where `loopctl add` puts files: inside a root, never over an
/// existing file, under a name the watcher will index. The client then does
/// the copying (with its own permissions), so loopd never opens the source.
struct AddPlanner {
    let roots: LibraryRoots
    let templates: [String: PathTemplate]
    let filter: PathFilter
    let store: IndexStore

    func plan(_ request: AddRequest) async throws -> AddPlan {
        guard !request.files.isEmpty else { throw RPCError(.invalidParams, "Invalid params: name at least one file to add.") }
        for file in request.files where file.name.isEmpty || file.name.contains("/") || file.name == "." || file.name == ".." {
            throw RPCError(.invalidParams, "Invalid params: '\(file.name)' is not a file name.")
        }
        if let take = request.take {
            guard request.files.count == 1 else { throw RPCError(.invalidParams, "Invalid params: a take is added one file at a time.") }
            return AddPlan(entries: [try await takeEntry(request.files[0].name, take, root: request.root)])
        }
        guard let folder = request.folder else { throw RPCError(.invalidParams, "Invalid params: give 'folder' or 'take'.") }
        let resolved = try insideLibrary(folder)
        var entries: [AddPlan.Entry] = []
        for file in request.files {
            let path = (resolved == "/" ? "" : resolved) + "/" + file.name
            try checkDestination(path, name: file.name)
            guard !entries.contains(where: { $0.path == path }) else {
                throw RPCError(.invalidParams, "Invalid params: two files are named \(file.name).")
            }
            entries.append(AddPlan.Entry(originalName: file.name, path: path))
        }
        return AddPlan(entries: entries)
    }

    private func takeEntry(_ name: String, _ take: TakeFields, root requestedRoot: String?) async throws -> AddPlan.Entry {
        let candidates = requestedRoot.map { [$0] } ?? templates.keys.sorted()
        guard let root = candidates.first, candidates.count == 1 else {
            throw RPCError(.invalidParams, candidates.isEmpty
                ? "Invalid params: no library root has a path template (set library.templates in the config)."
                : "Invalid params: several roots have path templates; say which with --root.")
        }
        guard let template = templates[root] else { throw RPCError(.invalidParams, "Invalid params: the root \(root) has no path template.") }
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last ?? "") : ""
        var fields = take
        if fields.version == nil, template.fields.contains("version") {
            fields.version = try await nextVersion(of: fields)
        }
        let relative: String
        do {
            relative = try template.relativePath(for: fields, fileExtension: ext)
        } catch {
            throw RPCError(.invalidParams, "Invalid params: \(error.description)")
        }
        let path = (root == "/" ? "" : root) + "/" + relative
        try checkDestination(path, name: String(relative.split(separator: "/").last ?? ""))
        return AddPlan.Entry(originalName: name, path: path)
    }

    /// "v1", "v2", ...: one more than the takes of this song and track already indexed.
    private func nextVersion(of take: TakeFields) async throws -> String {
        var query = "song:" + quoted(take.song ?? "")
        if let track = take.track { query += " track:" + quoted(track) }
        if let artist = take.artist { query += " artist:" + quoted(artist) }
        let existing = try await store.find(FindRequest(query: query, limit: FindRequest.maxLimit)).records
        let numbers = existing.compactMap { record -> Int? in
            guard let version = record.take?.version?.lowercased(), version.hasPrefix("v") else { return nil }
            return Int(version.dropFirst())
        }
        return "v\((numbers.max() ?? 0) + 1)"
    }

    private func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\"", with: "") + "\""
    }

    /// The folder's real path, refusing anything that leads outside every root.
    private func insideLibrary(_ folder: String) throws -> String {
        guard folder.hasPrefix("/") else { throw RPCError(.invalidParams, "Invalid params: 'folder' must be absolute.") }
        let components = folder.split(separator: "/")
        guard !components.contains("..") else {
            throw RPCError(.outsideLibrary, "Outside the library: \(folder) climbs out with '..'.")
        }
        // Resolve the part that exists (links included), then add what does not exist yet.
        var existing = folder
        var missing: [Substring] = []
        while FileName.realPath(existing) == nil, let slash = existing.lastIndex(of: "/") {
            missing.insert(existing[existing.index(after: slash)...], at: 0)
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
        let resolved = (FileName.realPath(existing) ?? existing) + missing.map { "/" + $0 }.joined()
        guard roots.root(containing: resolved) != nil else {
            throw RPCError(.outsideLibrary, "Outside the library: \(folder) is not inside any library root.")
        }
        for name in missing where !filter.acceptsDirectory(named: String(name)) {
            throw RPCError(.invalidParams, "Invalid params: a folder named '\(name)' would never be indexed (hidden or ignored).")
        }
        return resolved
    }

    private func checkDestination(_ path: String, name: String) throws {
        guard filter.acceptsFile(named: name) else {
            throw RPCError(.invalidParams, "Invalid params: \(name) would not be indexed (its extension is not indexed, or the name is hidden or ignored).")
        }
        if FileStat.of(path) != nil {
            throw RPCError(.alreadyExists, "Already exists: \(path) is taken; loopctl add never replaces a file.")
        }
    }
}
