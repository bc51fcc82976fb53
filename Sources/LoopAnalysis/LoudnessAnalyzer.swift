import Foundation
import LoopCore

/// EBU R128 / ITU-R BS.1770-4 loudness (`LoudnessMeter`): integrated
/// loudness (LUFS) and loudness range. A clip shorter than one 400 ms gating
/// block has no integrated loudness; it gets an ungated loudness over the
/// whole clip.
///
/// The meter is our own, held to libebur128 by the tests: libebur128's
/// fourth-order filter waits on four multiplies per sample and took a fifth
/// of indexing's CPU time. True peak is `TruePeakAnalyzer`'s.
public final class LoudnessAnalyzer: BlockAnalyzer {
    public static let name = "loudness"
    public static let version = 1

    /// The longest clip measured ungated: as long as libebur128's short-term window, which
    /// measured these clips before, so stored results keep their meaning.
    static let longestUngatedClip = 3.0
    private static let shortestGatedClip = 0.4
    /// Loudness range is built from 3 s windows; shorter clips have none.
    private static let shortestRangedClip = 3.0

    private var meter: LoudnessMeter?

    public init(format: StreamFormat) {
        // No channels or an absurd rate: no loudness.
        guard format.channels > 0, format.channels <= 64, format.sampleRate >= 16, format.sampleRate <= 2_822_400 else { return }
        meter = LoudnessMeter(sampleRate: format.sampleRate, channels: format.channels)
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        meter?.consume(samples, frames: frames)
    }

    public func finish(into result: inout AudioAnalysis) {
        guard let meter, meter.frames > 0 else { return }
        let seconds = Double(meter.frames) / Double(meter.sampleRate)
        if seconds >= Self.shortestGatedClip {
            result.loudnessLufs = Self.finite(meter.integratedLoudness)
        }
        if seconds >= Self.shortestRangedClip {
            let range = meter.loudnessRange
            result.loudnessRangeLu = range.isFinite ? range : nil
        }
        if seconds <= Self.longestUngatedClip {
            result.clipLoudnessLufs = Self.finite(meter.wholeLoudness(milliseconds: Int((seconds * 1000).rounded(.up))))
        }
    }

    /// Silence measures as -inf (or the -70 LUFS gate and below): no loudness.
    private static func finite(_ loudness: Double) -> Double? {
        loudness.isFinite && loudness > -70 ? loudness : nil
    }
}
