import Foundation
import LoopAnalysis
import LoopCore
import LoopIndex

/// Rows written straight into an index, for benchmarks that need many files
/// without analysing audio: named "<Instrument> <n>.wav" in packs of 500.
enum SyntheticLibrary {
    static let instruments = ["kick", "snare", "bass", "pad", "vocal", "hihat", "synth", "fx"]
    static let keys = ["Am", "C", "F#m", "Eb", "Dm", "G"]

    static func relativePath(_ index: Int) -> String {
        "Pack \(index / 500)/\(instruments[index % instruments.count].capitalized) \(index).wav"
    }

    /// Every third file a one-shot; loops from 80 to 169 BPM with a key each.
    static func generate(rows: Int, library: String, into store: IndexStore) throws {
        var batch: [IndexOperation] = []
        for index in 0..<rows {
            var file = analysed(
                index, path: library + "/" + relativePath(index), root: library,
                stat: FileStat(device: 1, inode: UInt64(index + 1), size: 100_000, mtimeNs: 1, kind: .regular), analysisVersion: "bench"
            )
            file.audio?.waveform = Waveform(samplesPerPoint: 256, sampleRate: 44100, minimums: [Int16](repeating: -1000, count: 200), maximums: [Int16](repeating: 1000, count: 200))
            batch.append(.store(file))
            if batch.count == 5000 {
                try store.apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try store.apply(batch) }
    }

    /// Row `index` as analysis would store it: every third a one-shot, loops from 80 to 169 BPM with a key.
    static func analysed(_ index: Int, path: String, root: String, stat: FileStat, analysisVersion: String) -> AnalysedFile {
        let isLoop = index % 3 != 0
        var file = AnalysedFile(path: path, root: root, stat: stat, analysisVersion: analysisVersion)
        var audio = AudioAnalysis(format: .wav, sampleRate: 44100, channels: 2, bitDepth: 24, frames: isLoop ? 8 * 44100 : 22050)
        audio.audioType = isLoop ? .loop : .oneShot
        audio.audioBpm = isLoop ? Double(80 + index % 90) : nil
        // In runs of 24 rows, apart from the instrument, type and tempo cycles: `index % 6` gave loops
        // only three of the six keys, and the benchmarks' `bass bpm:120..128 key:Am` matched nothing
        // (now about one row in 720).
        audio.audioKey = isLoop ? keys[(index / 24) % keys.count] : nil
        file.audio = audio
        return file
    }

    /// Empty files at every row's path, so a file server finds what the index names.
    static func touch(rows: Int, library: String) throws {
        for index in 0..<rows {
            let path = library + "/" + relativePath(index)
            if index % 500 == 0 {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
    }

    /// Empty files and their rows, stored as loopd stores them (their real stat, this analysis
    /// version), so that loopd finds them current and analyses none.
    static func writeWithFiles(rows: Int, library: String, index: String) throws {
        try FileManager.default.createDirectory(atPath: (index as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = try IndexStore(path: index)
        var batch: [IndexOperation] = []
        for row in 0..<rows {
            let path = library + "/Synthetic/" + relativePath(row)
            if row % 500 == 0 {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            }
            guard FileManager.default.createFile(atPath: path, contents: nil), let stat = FileStat.of(path) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            batch.append(.store(analysed(row, path: path, root: library, stat: stat, analysisVersion: FileAnalyzer.versionTag)))
            if batch.count == 5000 {
                try store.apply(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try store.apply(batch) }
        try store.close()
    }
}
