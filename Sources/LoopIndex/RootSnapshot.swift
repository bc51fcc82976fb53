import LoopCore

/// The index's rows under one root, as a scan reads them.
///
/// A restart compares every file of the library with its row, so the rows
/// are kept compact: paths packed in one byte buffer, and an index by
/// (device, inode) that lets an unchanged file be matched without building
/// its path as a `String` at all. The index by path is built only when a
/// scan first needs it (a file that is new, or has a new inode).
public struct RootSnapshot: Sendable {
    public struct Row: Sendable {
        public var id: Int64
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
        public var mtimeNs: Int64
        /// The row was analysed by the analyzers of this build.
        public var analysedByCurrentVersion: Bool
        public var offline: Bool
        fileprivate var pathStart: Int
        fileprivate var pathCount: Int
        /// The next row with the same device and inode (hard links), or -1.
        fileprivate var nextWithIdentity = -1
        /// The next row whose path has the same hash value, or -1.
        fileprivate var nextWithPathHash = -1

        public var stat: FileStat { FileStat(device: device, inode: inode, size: size, mtimeNs: mtimeNs, kind: .regular) }
    }

    private struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    public private(set) var rows: [Row] = []
    private var pathBytes: [UInt8] = []
    private var firstWithIdentity: [Identity: Int] = [:]
    private var firstWithPathHash: [Int: Int]?

    public init() {}

    /// Adds a row.
    mutating func append(
        id: Int64, path: UnsafeRawBufferPointer, device: UInt64, inode: UInt64, size: Int64, mtimeNs: Int64,
        analysedByCurrentVersion: Bool, offline: Bool
    ) {
        let start = pathBytes.count
        pathBytes.append(contentsOf: path)
        var row = Row(
            id: id, device: device, inode: inode, size: size, mtimeNs: mtimeNs,
            analysedByCurrentVersion: analysedByCurrentVersion, offline: offline, pathStart: start, pathCount: path.count
        )
        let index = rows.count
        let identity = Identity(device: device, inode: inode)
        if let first = firstWithIdentity.updateValue(index, forKey: identity) { row.nextWithIdentity = first }
        rows.append(row)
    }

    public var count: Int { rows.count }

    public func path(of index: Int) -> String {
        // Stored paths are the UTF-8 of their `String` form (odd bytes already mapped).
        withPathBytes(of: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the stored path of row `index` as bytes.
    public func withPathBytes<T>(of index: Int, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let row = rows[index]
        return pathBytes.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[row.pathStart..<(row.pathStart + row.pathCount)])) }
    }

    /// The row for this device and inode whose path passes `isPath`: the
    /// cheap way to find an unchanged file's row.
    public func index(device: UInt64, inode: UInt64, isPath: (UnsafeRawBufferPointer) -> Bool) -> Int? {
        var candidate = firstWithIdentity[Identity(device: device, inode: inode)] ?? -1
        while candidate >= 0 {
            if withPathBytes(of: candidate, isPath) { return candidate }
            candidate = rows[candidate].nextWithIdentity
        }
        return nil
    }

    /// The row at `path` (compared byte for byte).
    public mutating func index(ofPath path: String) -> Int? {
        if firstWithPathHash == nil { indexPaths() }
        var path = path
        return path.withUTF8 { wanted in
            var candidate = firstWithPathHash?[RootSnapshot.hash(UnsafeRawBufferPointer(wanted))] ?? -1
            while candidate >= 0 {
                if withPathBytes(of: candidate, { $0.elementsEqual(wanted) }) { return candidate }
                candidate = rows[candidate].nextWithPathHash
            }
            return nil
        }
    }

    private mutating func indexPaths() {
        var first: [Int: Int] = [:]
        first.reserveCapacity(rows.count)
        for index in rows.indices {
            let hash = withPathBytes(of: index, RootSnapshot.hash)
            if let previous = first.updateValue(index, forKey: hash) { rows[index].nextWithPathHash = previous }
        }
        firstWithPathHash = first
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }

    /// True when the file on disk is the one the row describes, analysed by these analyzers.
    public func isUnchanged(_ index: Int, for stat: FileStat) -> Bool {
        let row = rows[index]
        return row.analysedByCurrentVersion && !row.offline && !row.stat.differs(from: stat)
    }

}
