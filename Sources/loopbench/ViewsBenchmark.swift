import ArgumentParser
import Foundation
import LoopCore
import LoopIndex
import LoopViews

/// Rebuilding every view folder and the catalogue from scratch for a large synthetic index.
struct ViewsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views",
        abstract: "Time to rebuild the views tree and catalogue from scratch, and to publish a change, on a synthetic index.",
        discussion: "Rows are written straight into the database (paths of real files in the work folder's library)."
    )

    @Option(help: "Files in the synthetic index.")
    var rows = 100_000

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var files: Int
        var entries: Int
        var readMs: Double
        var layoutMs: Double
        var fromScratchMs: Double
        var catalogMs: Double
        var catalogBytes: Int
        var republishUnchangedMs: Double
    }

    func run() async throws {
        try await workFolder.useAsync(named: "loopbench-views") { work, library in
            let store = try IndexStore(path: work + "/index.sqlite")
            var batch: [IndexOperation] = []
            let instruments = ["kick", "snare", "bass", "pad", "vocal", "hihat", "synth", "fx"]
            let keys = ["Am", "C", "F#m", "Eb", "Dm", "G"]
            for index in 0..<rows {
                // The files the links point at need not exist for timing; their paths do.
                let instrument = instruments[index % instruments.count]
                let isLoop = index % 3 != 0
                var file = AnalysedFile(
                    path: library + "/Pack \(index / 500)/\(instrument.capitalized) \(index).wav", root: library,
                    stat: FileStat(device: 1, inode: UInt64(index + 1), size: 100_000, mtimeNs: 1, kind: .regular), analysisVersion: "bench"
                )
                file.format = "wav"
                file.duration = isLoop ? 8 : 0.5
                file.audioType = isLoop ? "loop" : "one-shot"
                file.audioBpm = isLoop ? Double(80 + index % 90) : nil
                file.audioKey = isLoop ? keys[index % keys.count] : nil
                file.waveform = Waveform(samplesPerPoint: 256, sampleRate: 44100, minimums: [Int16](repeating: -1000, count: 200), maximums: [Int16](repeating: 1000, count: 200))
                batch.append(.store(file))
                if batch.count == 5000 {
                    try store.apply(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try store.apply(batch) }

            let folder = library + "/_Index"
            var clock = ContinuousClock.now
            let source = try await store.viewSource()
            let readMs = (ContinuousClock.now - clock).milliseconds
            clock = .now
            let entries = ViewLayout.entries(source)
            let layoutMs = (ContinuousClock.now - clock).milliseconds
            let writer = ViewFolderWriter(folder: folder, kind: .symlink)
            writer.reset()
            clock = .now
            _ = writer.publish(entries)
            let publishMs = (ContinuousClock.now - clock).milliseconds
            clock = .now
            if let failure = CatalogWriter.write(source.files, root: library, into: folder) { throw ValidationError(failure) }
            let catalogMs = (ContinuousClock.now - clock).milliseconds
            clock = .now
            _ = writer.publish(ViewLayout.entries(try await store.viewSource()))
            let republishMs = (ContinuousClock.now - clock).milliseconds
            let catalogBytes = (try? FileManager.default.attributesOfItem(atPath: folder + "/catalog.html")[.size] as? Int) ?? 0
            try printJSON(Report(
                files: rows, entries: entries.count, readMs: readMs, layoutMs: layoutMs, fromScratchMs: readMs + layoutMs + publishMs + catalogMs,
                catalogMs: catalogMs, catalogBytes: catalogBytes ?? 0, republishUnchangedMs: republishMs
            ))
        }
    }
}
