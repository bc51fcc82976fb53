import CEbur128
import Foundation

/// EBU R128 / ITU-R BS.1770-4 loudness by libebur128: integrated loudness and
/// loudness range. A clip shorter than one 400 ms gating block has no
/// integrated loudness; it gets an ungated loudness over the whole clip.
///
/// True peak is `TruePeakAnalyzer`'s: libebur128's 4x oversampling more than
/// halved indexing throughput (745 to 143 files/s on the foundation benchmark).
public final class LoudnessAnalyzer: BlockAnalyzer {
    public static let name = "loudness"
    public static let version = 1

    /// The longest clip measured ungated: the 3 s window libebur128 keeps for
    /// short-term loudness. (A longer one needs `ebur128_set_max_window`, which in
    /// libebur128 1.2.6, Debian 12's, forgets its ms-to-s scaling and allocates
    /// gigabytes: libebur128 issue #129. Integrated loudness covers longer clips.)
    static let longestUngatedClip = 3.0
    private static let shortestGatedClip = 0.4
    /// Loudness range is built from 3 s windows; shorter clips have none.
    private static let shortestRangedClip = 3.0

    private let state: UnsafeMutablePointer<ebur128_state>?
    private let sampleRate: Int
    private var frames = 0

    public init(format: StreamFormat) {
        sampleRate = format.sampleRate
        let mode = Int32(EBUR128_MODE_I.rawValue | EBUR128_MODE_LRA.rawValue)
        // libebur128 refuses what it cannot measure (no channels, absurd rates): no loudness then.
        guard format.channels > 0, format.sampleRate >= 16, format.sampleRate <= 2_822_400 else {
            state = nil
            return
        }
        state = ebur128_init(UInt32(format.channels), UInt(format.sampleRate), mode)
    }

    deinit {
        var state = state
        if state != nil { ebur128_destroy(&state) }
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        guard let state, let start = samples.baseAddress else { return }
        _ = ebur128_add_frames_float(state, start, frames)
        self.frames += frames
    }

    public func finish(into result: inout AudioAnalysis) {
        guard let state, frames > 0 else { return }
        let seconds = Double(frames) / Double(sampleRate)
        if seconds >= Self.shortestGatedClip {
            var loudness = 0.0
            if ebur128_loudness_global(state, &loudness) == 0 { result.loudnessLufs = Self.finite(loudness) }
        }
        if seconds >= Self.shortestRangedClip {
            var range = 0.0
            if ebur128_loudness_range(state, &range) == 0 { result.loudnessRangeLu = range.isFinite ? range : nil }
        }
        if seconds <= Self.longestUngatedClip {
            var loudness = 0.0
            let window = UInt((seconds * 1000).rounded(.up))
            if ebur128_loudness_window(state, window, &loudness) == 0 { result.clipLoudnessLufs = Self.finite(loudness) }
        }
    }

    /// Silence measures as -inf (or libebur128's -70 floor and below): no loudness.
    private static func finite(_ loudness: Double) -> Double? {
        loudness.isFinite && loudness > -70 ? loudness : nil
    }
}
