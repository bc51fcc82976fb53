import Foundation
import GRDB
import Logging
import LoopCore
@testable import LoopDaemon
import LoopIndex
import LoopTestSupport
import LoopWatch
import Testing

@Suite struct IndexWriterTests {
    let folder = TemporaryDirectory("writer")

    func file(_ name: String, inode: UInt64) -> AnalysedFile {
        AnalysedFile(
            path: "/lib/" + name, root: "/lib", stat: FileStat(device: 1, inode: inode, size: 100, mtimeNs: 1, kind: .regular), analysisVersion: "v",
            audio: AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 16, frames: 44100)
        )
    }

    /// A batch whose commit fails for one row is tried again one change at a time: the others
    /// are stored, every job is finished, and the writer goes on.
    @Test func aRowThatCannotBeWrittenDoesNotSinkItsBatch() async throws {
        let path = folder.path + "/index.sqlite"
        let store = try IndexStore(path: path)
        // A rule the schema does not have, added from another connection: SQLite refuses this one row.
        let other = try DatabaseQueue(path: path)
        try await other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuseOne BEFORE INSERT ON file WHEN new.path = '/lib/Refused.wav' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        try other.close()
        let queue = ChangeQueue()
        let writer = IndexWriter(store: store, queue: queue, logger: Logger(label: "test"))
        var last: UInt64 = 0
        // Queued before the writer starts, so all three are one batch.
        for (index, name) in ["First.wav", "Refused.wav", "Last.wav"].enumerated() {
            last = queue.enqueue("/lib/" + name, .check)
            let job = try #require(queue.take())
            writer.submit([.store(file(name, inode: UInt64(index + 1)))], finishing: job)
        }
        writer.start()
        #expect(await writer.commitHeld() == nil, "a refused row is not a storage failure")
        #expect(try await store.record(path: "/lib/First.wav") != nil)
        #expect(try await store.record(path: "/lib/Last.wav") != nil)
        #expect(try await store.record(path: "/lib/Refused.wav") == nil)
        #expect(queue.isDone(through: last), "every job is finished, the refused one too")
        #expect(writer.stored == 2)
        // And it keeps writing.
        writer.submit([.store(file("After.wav", inode: 9))], finishing: nil)
        #expect(await writer.commitHeld() == nil)
        #expect(try await store.record(path: "/lib/After.wav") != nil)
        writer.stop()
        try store.close()
    }
}
