import LoopCore

/// One analysis fed by the shared decode pass.
///
/// A decode pass makes one instance per file, calls `consume` for every block
/// of interleaved float samples in order, then `finish` once. Analyzers never
/// read the file themselves, so adding one costs no extra decode.
public protocol BlockAnalyzer: AnyObject {
    /// Stable name, stored with the analyzer's version.
    static var name: String { get }
    /// Bumped whenever the analyzer's output changes, so stored results can be redone.
    static var version: Int { get }

    init(format: StreamFormat)
    /// `samples` holds `frames * format.channels` interleaved values.
    func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int)
    func finish(into result: inout AudioAnalysis)
}

extension BlockAnalyzer {
    /// Runs a fresh analyzer over interleaved samples held in memory, fed in blocks of the given
    /// frame counts (taken in turn) as a decode pass would feed it, for benchmarks and tests.
    public static func analyse(_ samples: [Float], format: StreamFormat, blockFrames: [Int] = [4096]) -> AudioAnalysis {
        let channels = max(format.channels, 1), frames = samples.count / channels
        let analyzer = Self(format: format)
        samples.withUnsafeBufferPointer { buffer in
            var done = 0, block = 0
            while done < frames {
                let count = min(max(blockFrames[block % blockFrames.count], 1), frames - done)
                analyzer.consume(UnsafeBufferPointer(rebasing: buffer[(done * channels)..<((done + count) * channels)]), frames: count)
                done += count
                block += 1
            }
        }
        var result = AudioAnalysis(format: format)
        result.frames = Int64(frames)
        analyzer.finish(into: &result)
        return result
    }
}
