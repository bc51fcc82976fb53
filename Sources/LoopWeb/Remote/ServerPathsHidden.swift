import Foundation
import LoopAPI
import LoopCore

/// A reply as a remote client may see it: a record's path inside its root instead of the
/// server's absolute path, and the root by its folder's name.
protocol ServerPathsHidden {
    func hidingServerPaths() -> Self
}

extension SampleRecord: ServerPathsHidden {
    func hidingServerPaths() -> SampleRecord {
        var record = self
        record.path = RelativePath.of(path, in: root)
        record.root = (root as NSString).lastPathComponent
        return record
    }
}

extension Array: ServerPathsHidden where Element: ServerPathsHidden {
    func hidingServerPaths() -> [Element] { map { $0.hidingServerPaths() } }
}

extension FindResult: ServerPathsHidden {
    func hidingServerPaths() -> FindResult {
        var result = self
        result.records = records.hidingServerPaths()
        return result
    }
}

extension CollectionContents: ServerPathsHidden {
    func hidingServerPaths() -> CollectionContents {
        var contents = self
        contents.records = records.hidingServerPaths()
        return contents
    }
}

extension SimilarMatch: ServerPathsHidden {
    func hidingServerPaths() -> SimilarMatch {
        var match = self
        match.record = record.hidingServerPaths()
        return match
    }
}

/// Replies that hold no paths.
extension ChangeReply: ServerPathsHidden { func hidingServerPaths() -> ChangeReply { self } }
extension CollectionSummary: ServerPathsHidden { func hidingServerPaths() -> CollectionSummary { self } }
extension Account: ServerPathsHidden { func hidingServerPaths() -> Account { self } }
