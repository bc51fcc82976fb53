import Foundation
import HTTPTypes
import LoopAPI
import LoopCore
import LoopRPC

/// Where an uploaded file goes and how it gets there: loopd plans the place (inside a root, a
/// name that will be indexed, never over a file), the bytes wait in the root's staging folder
/// until they are whole and checked, and then take their place in one step (a hard link).
struct UploadPlacement: Sendable {
    let loopd: LoopdGateway
    /// Bytes one account's uploads may take (admins are not counted); nil: no limit.
    var quotaBytes: Int64? = nil

    /// What the account may still upload; nil when it has no limit.
    func remaining(for account: Account) async throws -> Int64? {
        guard let quotaBytes, account.role != .admin else { return nil }
        let usage = try await loopd.call(LoopMethod.accountUsage, UsageRequest(account: account.name), for: account)
        return max(0, quotaBytes - usage.bytes)
    }

    /// Throws when `bytes` more would pass the account's quota; returns what is left (nil: no limit).
    @discardableResult
    func requireRoom(_ bytes: Int64, for account: Account) async throws -> Int64? {
        let left = try await remaining(for: account)
        guard let left, bytes > left else { return left }
        throw APIError(.contentTooLarge, "Over your upload quota: \(quotaBytes ?? 0) bytes, of which \(left) are left; this needs \(bytes). Delete some uploads or ask an admin.")
    }

    /// Where a client asks a file to go: a folder (in a root), or take fields for the root's template.
    struct Target: Codable, Sendable, Equatable {
        var name: String
        var folder: String?
        var root: String?
        var artist: String?
        var song: String?
        var track: String?
        var version: String?

        /// From query parameters or form fields; the name is required.
        static func from(_ value: (String) -> String?, name: String? = nil) throws -> Target {
            try Target(
                name: name ?? value("name") ?? "", folder: value("folder"), root: value("root"),
                artist: value("artist"), song: value("song"), track: value("track"), version: value("version")
            ).validated()
        }

        /// The target, when its name is one name a file may have.
        func validated() throws -> Target {
            guard !name.isEmpty else { throw APIError(.badRequest, "Say the file's name: ?name=Kick.wav.") }
            guard name.utf8.count <= 255, !name.contains("/"), name != ".", name != ".." else {
                throw APIError(.badRequest, "A file's name is one name (no slashes) of at most 255 bytes.")
            }
            return self
        }
    }

    /// The folder in each root where uploads wait until whole (hidden, so never indexed).
    static let stagingFolderName = ".openloop-uploads"

    static func stagingFolder(of root: String) -> String {
        (root == "/" ? "" : root) + "/" + stagingFolderName
    }

    /// The root a target names (by its folder's name), or the only one.
    func root(of target: Target) async throws -> String {
        let roots = try await loopd.call(LoopMethod.status, NoParams()).roots.map(\.path)
        return try UploadRoutes.root(named: target.root, in: roots)
    }

    /// loopd's plan for the file; throws its refusal (a bad name, a file already there, a reader).
    func plan(_ target: Target, in root: String, for account: Account) async throws -> AddPlan.Entry {
        var add = AddRequest(files: [AddRequest.File(name: target.name)])
        let take = TakeFields(artist: target.artist, song: target.song, track: target.track, version: target.version)
        if take.song != nil {
            add.take = take
            add.root = root
        } else {
            let folder = target.folder ?? ""
            add.folder = folder.isEmpty ? root : (root == "/" ? "" : root) + "/" + folder
        }
        let plan: AddPlan
        do {
            plan = try await loopd.call(LoopMethod.addPrepare, add, for: account)
        } catch let RPCClientError.server(error) where error.code != RPCErrorCode.permissionDenied.rawValue {
            // loopd's sentence names server paths: the client is told of places inside the library.
            let message = error.message.replacingOccurrences(of: root == "/" ? "/" : root + "/", with: "").replacingOccurrences(of: root, with: "the library")
            throw APIError(error.code == RPCErrorCode.alreadyExists.rawValue ? .conflict : .badRequest, message)
        }
        guard let entry = plan.entries.first else { throw APIError(.internalServerError, "loopd planned no place for the file.") }
        return entry
    }

    /// Puts a whole, checked file from the staging folder in its place and waits for the index.
    func place(staged: String, sha256: String, target: Target, root: String, for account: Account) async throws -> SampleRecord {
        let entry = try await plan(target, in: root, for: account)
        try TrashRoutes.move(staged, to: entry.path)
        return try await indexed(entry, sha256: sha256, for: account)
    }

    /// The record of a file just put at its planned place, once loopd has indexed it with these bytes.
    func indexed(_ entry: AddPlan.Entry, sha256: String, for account: Account) async throws -> SampleRecord {
        _ = try await loopd.call(LoopMethod.sync, NoParams())
        let records = try await loopd.call(LoopMethod.addComplete, AddPlan(entries: [entry]), for: account)
        guard let record = records.first else {
            throw APIError(.internalServerError, "The file was written to the library but is not in the index (see loopd's log).")
        }
        guard record.hash == sha256 else { throw APIError(.conflict, "The file was indexed with other bytes than were sent (it changed meanwhile).") }
        return record
    }
}
