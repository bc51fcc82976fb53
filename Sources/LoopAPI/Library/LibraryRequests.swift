import Foundation
import LoopCore

/// Which files a library change applies to: these ids and absolute paths, or what a query matches.
public struct FileSelection: Codable, Sendable, Equatable {
    public var ids: [Int64]?
    public var paths: [String]?
    /// A query in the search language; every matching file on disk.
    public var query: String?

    public init(ids: [Int64]? = nil, paths: [String]? = nil, query: String? = nil) {
        self.ids = ids
        self.paths = paths
        self.query = query
    }
}

/// Params of `tag`: user tags added to and removed from files, or from a folder (which applies to all below it).
public struct TagRequest: Codable, Sendable, Equatable {
    public var files: FileSelection?
    /// An absolute folder path inside a root.
    public var folder: String?
    public var add: [String]
    public var remove: [String]

    public init(files: FileSelection? = nil, folder: String? = nil, add: [String] = [], remove: [String] = []) {
        self.files = files
        self.folder = folder
        self.add = add
        self.remove = remove
    }
}

/// Params of `favourite`: mark or unmark files as the caller's favourites.
public struct FavouriteRequest: Codable, Sendable, Equatable {
    public var files: FileSelection
    public var favourite: Bool

    public init(files: FileSelection, favourite: Bool) {
        self.files = files
        self.favourite = favourite
    }
}

/// How many files a change touched.
public struct ChangeReply: Codable, Sendable, Equatable {
    /// Files the request selected.
    public var files: Int
    /// Rows actually added or removed (an existing tag or favourite is not added twice); for a move, files that changed place.
    public var changed: Int

    public init(files: Int, changed: Int) {
        self.files = files
        self.changed = changed
    }
}

/// A collection as listed: whose it is, whether others see it, and its size.
public struct CollectionSummary: Codable, Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The owner's user name.
    public var owner: String
    public var ownerUid: UInt32
    public var shared: Bool
    public var items: Int
    public var createdAt: Double

    public init(id: Int64, name: String, owner: String, ownerUid: UInt32, shared: Bool, items: Int, createdAt: Double) {
        self.id = id
        self.name = name
        self.owner = owner
        self.ownerUid = ownerUid
        self.shared = shared
        self.items = items
        self.createdAt = createdAt
    }
}

/// Params of the collection methods. `files` is for adding and removing items.
public struct CollectionRequest: Codable, Sendable, Equatable {
    public var name: String
    /// For `collection.create` and `collection.share`: visible to everyone (changing it then needs write access).
    public var shared: Bool?
    public var files: FileSelection?

    public init(name: String, shared: Bool? = nil, files: FileSelection? = nil) {
        self.name = name
        self.shared = shared
        self.files = files
    }
}

/// Params of `collection.move`: the selected files of a collection, in the selection's order, go
/// just before `before` (a file id in it), to its start with `toStart`, or else to its end.
public struct CollectionMoveRequest: Codable, Sendable, Equatable {
    public var name: String
    public var files: FileSelection
    public var before: Int64?
    public var toStart: Bool?

    public init(name: String, files: FileSelection, before: Int64? = nil, toStart: Bool? = nil) {
        self.name = name
        self.files = files
        self.before = before
        self.toStart = toStart
    }
}

/// A collection and its files, in their order.
public struct CollectionContents: Codable, Sendable, Equatable {
    public var collection: CollectionSummary
    public var records: [SampleRecord]

    public init(collection: CollectionSummary, records: [SampleRecord]) {
        self.collection = collection
        self.records = records
    }
}

/// Why a change to library data was refused, as one sentence.
public enum LibraryDataError: Error, Equatable, CustomStringConvertible, Sendable {
    case noSuchCollection(name: String)
    case collectionExists(name: String)
    case notAllowed(reason: String)
    case invalidTag(tag: String)
    case invalidName(name: String)
    case emptySelection
    case noSuchFile(String)
    case notInCollection(id: Int64, name: String)
    case movedBeforeItself(id: Int64)
    case twoPlaces

    public var description: String {
        switch self {
        case let .noSuchCollection(name): return "No such collection: there is no collection named '\(name)' that you can see."
        case let .collectionExists(name): return "You already have a collection named '\(name)'."
        case let .notAllowed(reason): return "Not allowed: \(reason)."
        case let .invalidTag(tag): return "'\(tag)' is not a usable tag: use 1 to 64 characters, without commas or control characters."
        case let .invalidName(name): return "'\(name)' is not a usable collection name: use 1 to 128 characters, without control characters."
        case .emptySelection: return "Say which files: give ids, paths or a query."
        case let .noSuchFile(file): return "No such file: \(file) is not in the index."
        case let .notInCollection(id, name): return "File \(id) is not in the collection '\(name)', so nothing can be moved before it."
        case .twoPlaces: return "Say one place to move to: before a file, or to the start, not both."
        case let .movedBeforeItself(id): return "File \(id) is among the files being moved, so they cannot go before it."
        }
    }
}

extension String {
    /// A tag as stored: trimmed; nil when it is not usable.
    public var normalisedTag: String? {
        let tag = trimmingCharacters(in: .whitespaces)
        guard (1...64).contains(tag.count), !tag.contains(","), !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        return tag
    }
}

/// Params of `add.prepare`: files to be copied into the library, and where.
public struct AddRequest: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        /// The file's name where it comes from (its extension is kept).
        public var name: String
        public init(name: String) { self.name = name }
    }

    public var files: [File]
    /// An absolute folder inside a root; created if missing. Ignored when `take` is given.
    public var folder: String?
    /// Place by the root's path template instead (one file only).
    public var take: TakeFields?
    /// The root whose template to use, when several roots have one.
    public var root: String?

    public init(files: [File], folder: String? = nil, take: TakeFields? = nil, root: String? = nil) {
        self.files = files
        self.folder = folder
        self.take = take
        self.root = root
    }
}

/// The reply to `add.prepare`: where each file goes, in request order. Nothing exists there yet.
public struct AddPlan: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var originalName: String
        public var path: String
        public init(originalName: String, path: String) {
            self.originalName = originalName
            self.path = path
        }
    }

    public var entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }
}

/// The reply to `backup`: a consistent copy of the index that loopd wrote in
/// its own state folder, for the caller to read with `backup.read` and write
/// wherever the caller itself may write.
public struct BackupSnapshot: Codable, Sendable, Equatable {
    /// Names the copy in `backup.read` and `backup.finish`; good for the caller's user only.
    public var token: String
    public var bytes: Int64
    /// SHA-256 of the copy, hex: what the written file must hash to.
    public var sha256: String
    public init(token: String, bytes: Int64, sha256: String) {
        self.token = token
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Params of `backup.read`: a part of the copy.
public struct BackupReadRequest: Codable, Sendable, Equatable {
    public static let maxLength = 4 << 20
    public var token: String
    public var offset: Int64
    /// At most `maxLength` bytes.
    public var length: Int
    public init(token: String, offset: Int64, length: Int) {
        self.token = token
        self.offset = offset
        self.length = length
    }
}

/// The reply to `backup.read`: the bytes (base64 in JSON); fewer than asked only at the end.
public struct BackupChunk: Codable, Sendable, Equatable {
    public var data: Data
    public init(data: Data) { self.data = data }
}

/// Params of `backup.finish`: the copy is no longer needed.
public struct BackupToken: Codable, Sendable, Equatable {
    public var token: String
    public init(token: String) { self.token = token }
}

/// The reply to `whoami`: the caller as loopd sees it.
public struct CallerReport: Codable, Sendable, Equatable {
    public var uid: UInt32
    public var user: String
    /// Whether this user may change shared data.
    public var writer: Bool
    public init(uid: UInt32, user: String, writer: Bool) {
        self.uid = uid
        self.user = user
        self.writer = writer
    }
}

/// A saved search, published as a folder of the views tree.
public struct SavedView: Codable, Sendable, Equatable {
    public var name: String
    public var query: String
    public init(name: String, query: String) {
        self.name = name
        self.query = query
    }
}
