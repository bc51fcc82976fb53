import Foundation
import LoopCore
import LoopSynth

/// One generated sample: what it is (the truth a scorer compares with), how
/// it is made, and where it lies in its pack.
public struct PackSample: Sendable {
    public var content: PackContent
    public var style: PackStyle
    /// The tempo it was written at; also set for one-shots, whose notes need one, but not part of their truth.
    public var bpm: Double
    public var bars: Int
    public var key: MusicalKey
    /// The MIDI note of a tonal one-shot.
    public var rootNote: Int
    public var production: PackProduction
    public var kind: AudioFileKind
    public var sampleRate: Int
    public var seed: UInt64
    /// Its path inside the library, as a pack names it.
    public var relativePath: String
    /// Whether its folders say something untrue about it ("One Shots" over a loop).
    public var namesMislead: Bool

    public var isLoop: Bool { content.isLoop }
    /// The truth: a loop's tempo, a tonal loop's key, a tonal one-shot's root pitch class.
    public var trueBpm: Double? { isLoop ? bpm : nil }
    public var trueKey: MusicalKey? { isLoop && content.isTonal ? key : nil }
    public var trueRootPitchClass: Int? { !isLoop && content == .bassHit ? rootNote % 12 : nil }

    /// Renders and writes the sample under `library`; `scratch` holds the synthesiser's files.
    public func write(under library: String, renderer: FluidSynthRenderer, scratch: String) throws {
        var rng = SplitMix(seed: seed)
        let score = PackScore.compose(content: content, style: style, bpm: bpm, bars: bars, key: key, rootNote: rootNote, rng: &rng)
        let beats = Double(bars * 4)
        var tonal: [Float] = [], drums: [Float] = []
        if !score.tonal.notes.isEmpty {
            var sequence = score.tonal
            sequence.endBeat = isLoop ? beats + 4 : 0
            tonal = try renderer.render(sequence, sampleRate: sampleRate, reverb: production.reverb, in: scratch)
        }
        if !score.drums.notes.isEmpty {
            var sequence = score.drums
            sequence.endBeat = isLoop ? beats + 2 : 0
            drums = try renderer.render(sequence, sampleRate: sampleRate, reverb: production.reverb && !isLoop, in: scratch)
        }
        let samples = production.finish(tonal: tonal, drums: drums, bpm: bpm, loopBeats: isLoop ? beats : nil, sampleRate: sampleRate)
        guard samples.allSatisfy(\.isFinite) else { throw PackRenderError(description: "\(relativePath): production made samples that are not finite") }
        let path = library + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try SignalWriter.write(path: path, kind: kind, interleaved: samples, sampleRate: sampleRate, channels: production.mono ? 1 : 2)
    }
}
