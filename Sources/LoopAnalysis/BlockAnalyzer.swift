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
