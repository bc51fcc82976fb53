import LoopCore

/// Files found by a walk, kept compactly (names packed in one buffer) so
/// they can be matched against the index after the walk, while the index
/// is read on another thread during it.
public struct WalkedFiles {
    private struct Entry {
        var directory: Int
        var nameStart: Int
        var nameCount: Int
        var stat: FileStat
    }

    private var directories: [String] = []
    private var names: [UInt8] = []
    private var entries: [Entry] = []

    public init() {}

    public var count: Int { entries.count }

    public mutating func append(_ file: WalkedFile) {
        // A walk visits each folder's files together, so only a change of folder adds one.
        if directories.last?.utf8.elementsEqual(file.directory.utf8) != true {
            directories.append(file.directory)
        }
        entries.append(Entry(directory: directories.count - 1, nameStart: names.count, nameCount: file.rawName.count, stat: file.stat))
        names.append(contentsOf: file.rawName)
    }

    /// Calls `body` with each file, in the order they were found.
    public func forEach(_ body: (WalkedFile) -> Void) {
        names.withUnsafeBytes { names in
            for entry in entries {
                let name = UnsafeRawBufferPointer(rebasing: names[entry.nameStart..<(entry.nameStart + entry.nameCount)])
                body(WalkedFile(directory: directories[entry.directory], rawName: name, stat: entry.stat))
            }
        }
    }
}
