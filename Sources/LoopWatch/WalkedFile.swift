#if canImport(Glibc)
import Glibc
#endif
import LoopCore

/// A file found by a directory walk.
///
/// The name is the directory entry's raw bytes, valid only during the call
/// that receives the file: a scan over an unchanged library matches most
/// files against their rows by these bytes, never building a path `String`.
public struct WalkedFile {
    /// The folder holding the file.
    public let directory: String
    public let rawName: UnsafeRawBufferPointer
    public let stat: FileStat

    /// The file's path (names that are not UTF-8 mapped as `FileName` does).
    public var path: String { Self.path(of: rawName, in: directory) }

    /// The path of the entry `rawName` in `directory`, as `FileName` maps names.
    static func path(of rawName: UnsafeRawBufferPointer, in directory: String) -> String {
        let name = FileName.decode(rawName)
        return directory == "/" ? "/" + name : directory + "/" + name
    }

    /// Whether `candidate`, a path's UTF-8 bytes, is this file's path. A name
    /// that is not valid UTF-8 is stored mapped, so it never matches here;
    /// callers fall back to comparing `path`.
    public func hasPath(_ candidate: UnsafeRawBufferPointer) -> Bool {
        let matched = directory.utf8.withContiguousStorageIfAvailable { folder -> Bool in
            let separator = folder.count == 1 && folder[0] == UInt8(ascii: "/") ? 0 : 1
            guard candidate.count == folder.count + separator + rawName.count,
                  let start = candidate.baseAddress, let folderStart = folder.baseAddress else { return false }
            guard memcmp(start, folderStart, folder.count) == 0 else { return false }
            if separator == 1 && candidate[folder.count] != UInt8(ascii: "/") { return false }
            guard let nameStart = rawName.baseAddress else { return rawName.isEmpty }
            return memcmp(start + folder.count + separator, nameStart, rawName.count) == 0
        }
        return matched ?? candidate.elementsEqual(path.utf8)
    }
}
