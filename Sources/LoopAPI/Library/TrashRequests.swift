/// A deleted file's place in its root's trash folder: deleting moves, never unlinks, so a file
/// can be restored until the trash is emptied.
public struct TrashItem: Codable, Sendable, Equatable {
    public var id: Int64
    /// Where the file was, and where it goes back to.
    public var originalPath: String
    public var trashPath: String
    public var root: String
    public var size: Int64
    public var hash: String?
    public var trashedAt: Double
    /// Who deleted it: a web account or a Unix user.
    public var trashedBy: String

    public init(id: Int64, originalPath: String, trashPath: String, root: String, size: Int64, hash: String?, trashedAt: Double, trashedBy: String) {
        self.id = id
        self.originalPath = originalPath
        self.trashPath = trashPath
        self.root = root
        self.size = size
        self.hash = hash
        self.trashedAt = trashedAt
        self.trashedBy = trashedBy
    }

    /// The folder in each root that holds its trash; its name is ignored by default (`.Trash-*`).
    public static let folderName = ".Trash-openloop"
}

/// The reply to `trash.prepare`: for each file, where it is and where the caller moves it.
public struct TrashPlan: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var id: Int64
        public var path: String
        public var trashPath: String

        public init(id: Int64, path: String, trashPath: String) {
            self.id = id
            self.path = path
            self.trashPath = trashPath
        }
    }

    public var entries: [Entry]
    public init(entries: [Entry]) { self.entries = entries }
}

/// Params of `trash.restore` and `trash.forget`: trash items by id.
public struct TrashItemsRequest: Codable, Sendable, Equatable {
    public var ids: [Int64]
    public init(ids: [Int64]) { self.ids = ids }
}

/// Params of `trash.list`: every item, or those deleted before `olderThan` (seconds since 1970).
public struct TrashListRequest: Codable, Sendable, Equatable {
    public var olderThan: Double?
    public init(olderThan: Double? = nil) { self.olderThan = olderThan }
}
