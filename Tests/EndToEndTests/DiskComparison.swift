import Foundation
import LoopAnalysis
import LoopCore
import LoopFiles
import Testing

/// What the disk holds under a library, as the index should see it.
struct DiskEntry: Equatable, CustomStringConvertible {
    var size: Int64
    var hash: String?
    var description: String { "\(size) bytes, \(hash?.prefix(12) ?? "no hash")" }
}

enum DiskComparison {
    /// Every supported file below `root` (hidden and junk names skipped, as loopd does).
    static func walk(_ root: String, extensions: Set<String> = ["wav"]) -> [String: DiskEntry] {
        var entries: [String: DiskEntry] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return entries }
        while let relative = enumerator.nextObject() as? String {
            let components = relative.split(separator: "/").map(String.init)
            if components.contains(where: { IgnoreRules.standard.ignores(name: $0) }) { continue }
            let path = root + "/" + relative
            guard let stat = FileStat.of(path), stat.kind == .regular,
                  let ext = AudioFileTypes.fileExtension(of: components.last ?? ""), extensions.contains(ext) else { continue }
            entries[path] = DiskEntry(size: stat.size, hash: try? ContentHasher.sha256(path: path))
        }
        return entries
    }

    /// Records the differences between the disk and the index as test issues; returns how many.
    @discardableResult
    static func expectEqual(disk: [String: DiskEntry], index records: [SampleRecord], sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var differences: [String] = []
        var indexed: [String: DiskEntry] = [:]
        for record in records {
            if indexed[record.path] != nil { differences.append("two rows for \(record.path)") }
            indexed[record.path] = DiskEntry(size: record.size, hash: record.hash)
        }
        for (path, entry) in disk where indexed[path] != entry {
            differences.append(indexed[path].map { "\(path): disk \(entry), index \($0)" } ?? "\(path): on disk, not in the index")
        }
        for path in indexed.keys where disk[path] == nil {
            differences.append("\(path): in the index, not on disk")
        }
        for difference in differences.sorted().prefix(20) {
            Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
        }
        return differences.count
    }
}

/// A small repeatable random source for the randomized tests.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E3779B97F4A7C15 | 1 }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 11
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
    mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[below(items.count)] }
}
