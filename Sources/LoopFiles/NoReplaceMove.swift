#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore

/// Moves a file without ever replacing one: a hard link at the new place, then the old name goes
/// (rename would silently replace a file that appeared meanwhile). Both places are in one root, so
/// on one file system.
public enum NoReplaceMove {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A file is already at the destination.
        case destinationExists(String)
        case failed(FileAccessError)

        public var description: String {
            switch self {
            case let .destinationExists(path): return "A file is already at \(path); nothing was moved."
            case let .failed(error): return error.description
            }
        }
    }

    public static func move(_ source: String, to destination: String) throws(Failure) {
        let folder = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .failed(FileAccessError(path: folder, reason: (error as NSError).localizedDescription))
        }
        guard FileName.withCString(source, { from in FileName.withCString(destination) { to in link(from, to) } }) == 0 else {
            let code = errno
            if code == EEXIST { throw .destinationExists(destination) }
            throw .failed(FileAccessError(path: source, errno: code))
        }
        _ = FileName.withCString(source) { unlink($0) }
    }
}

/// A file in a root's trash folder, removed for good.
public enum TrashFile {
    /// Unlinks it (one already gone counts as removed) and the folder that held it, once empty.
    public static func remove(_ path: String) throws(FileAccessError) {
        guard FileName.withCString(path, { unlink($0) }) == 0 || errno == ENOENT else { throw FileAccessError(path: path, errno: errno) }
        _ = FileName.withCString((path as NSString).deletingLastPathComponent) { rmdir($0) }
    }

    /// Removes each item's file; returns the ids of those gone, and tells `failed` of the others.
    public static func removeAll(_ items: [(id: Int64, path: String)], failed: (FileAccessError) -> Void) -> [Int64] {
        items.compactMap { item in
            do throws(FileAccessError) {
                try remove(item.path)
                return item.id
            } catch {
                failed(error)
                return nil
            }
        }
    }
}
