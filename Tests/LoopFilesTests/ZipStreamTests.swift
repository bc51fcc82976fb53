import Foundation
import LoopFiles
import Testing

/// The length a streamed archive announces is the length it has.
@Suite struct ZipStreamTests {
    /// Streams entries whose bytes are `piece` repeated up to each size, and counts what comes out.
    private func streamedLength(_ files: [(name: String, size: UInt64)], piece: [UInt8]) -> UInt64 {
        var zip = ZipStream()
        var total: UInt64 = 0
        for file in files {
            total += UInt64(zip.begin(name: file.name, size: file.size, modifiedNs: 1_700_000_000_000_000_000).count)
            var left = file.size
            piece.withUnsafeBytes { bytes in
                while left > 0 {
                    let count = Int(min(left, UInt64(bytes.count)))
                    zip.update(UnsafeRawBufferPointer(rebasing: bytes[0..<count]))
                    left -= UInt64(count)
                }
            }
            total += file.size + UInt64(zip.end()?.count ?? 0)
        }
        return total + UInt64(zip.finish().count)
    }

    private func announced(_ files: [(name: String, size: UInt64)]) -> UInt64? {
        ZipStream.length(of: files.map { (name: $0.name, size: $0.size, modifiedNs: 1_700_000_000_000_000_000) })
    }

    @Test func namesThatRepeatEmptyFilesAndNothingAtAll() {
        let files: [(name: String, size: UInt64)] = [("Kick.wav", 70_000), ("kick.wav", 3), ("Empty.wav", 0), ("Kick.wav", 12), ("Ünïcode ☃.wav", 1)]
        #expect(announced(files) == streamedLength(files, piece: Array(repeating: 7, count: 4096)))
        #expect(announced([]) == streamedLength([], piece: [0]))
    }

    @Test func anEntryPastFourGigabytes() {
        let files: [(name: String, size: UInt64)] = [("Small.wav", 10), ("Long take.wav", (4 << 30) + 5), ("After.wav", 10)]
        #expect(announced(files) == streamedLength(files, piece: Array(repeating: 9, count: 16 << 20)))
    }
}
