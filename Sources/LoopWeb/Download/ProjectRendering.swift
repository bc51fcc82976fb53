import CSoundTouch
import Foundation
import LoopAnalysis
import LoopCore

/// What a project asks of a loop: its tempo and its key.
struct ProjectTarget: Sendable, Equatable {
    var bpm: Double?
    var key: MusicalKey?

    /// The tempo ratio for a sound at `source` BPM: to the project's tempo, or to half or double
    /// it when that is nearer (a 70 BPM loop in a 140 BPM project stays a half-time loop).
    func tempoRatio(from source: Double?) -> Double {
        guard let bpm, let source, source > 0 else { return 1 }
        return [bpm, bpm / 2, bpm * 2].map { $0 / source }.min { abs(log($0)) < abs(log($1)) } ?? 1
    }

    /// Semitones from `source` to the project's key, by the shortest way (-6...5). A minor loop
    /// in a major project goes to the relative minor of its key, and the other way round, so the
    /// loop keeps its own mode.
    func semitones(from source: MusicalKey?) -> Int {
        guard let key, let source else { return 0 }
        var target = key.pitchClass
        if source.isMinor && !key.isMinor { target = (target + 9) % 12 }
        if !source.isMinor && key.isMinor { target = (target + 3) % 12 }
        let up = ((target - source.pitchClass) % 12 + 12) % 12
        return up > 5 ? up - 12 : up
    }
}

/// A sound rendered at a project's tempo (pitch kept) and in its key, as one 16-bit WAV, with
/// SoundTouch. Loops are short: the whole result is made in memory, within `maxSeconds`.
enum ProjectRendering {
    /// The longest sound rendered (before stretching).
    static let maxSeconds = 120.0

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func render(path: String, tempoRatio: Double, semitones: Int) throws(Failure) -> [UInt8] {
        let decoder: PCM16Decoder
        do {
            decoder = try PCM16Decoder(path: path)
        } catch {
            throw Failure(description: "it could not be decoded (\(error))")
        }
        let channels = decoder.channels, sampleRate = decoder.sampleRate
        guard channels > 0, sampleRate > 0 else { throw Failure(description: "it has no audio") }
        guard Double(decoder.frames) / Double(sampleRate) <= maxSeconds else {
            throw Failure(description: "it is longer than \(Int(maxSeconds)) seconds")
        }
        guard let stretcher = soundtouch_createInstance() else { throw Failure(description: "SoundTouch could not start") }
        defer { soundtouch_destroyInstance(stretcher) }
        soundtouch_setSampleRate(stretcher, UInt32(sampleRate))
        soundtouch_setChannels(stretcher, UInt32(channels))
        soundtouch_setTempo(stretcher, Float(tempoRatio))
        soundtouch_setPitchSemiTones(stretcher, Float(semitones))

        let chunkFrames = 8192
        var input = [Int16](repeating: 0, count: chunkFrames * channels)
        var output: [Int16] = []
        output.reserveCapacity(Int(Double(decoder.frames) / tempoRatio) * channels + chunkFrames * channels)
        var received = [Int16](repeating: 0, count: chunkFrames * channels)
        func drain() {
            while true {
                let count = received.withUnsafeMutableBufferPointer { soundtouch_receiveSamples_i16(stretcher, $0.baseAddress, UInt32(chunkFrames)) }
                if count == 0 { return }
                output += received[0..<(Int(count) * channels)]
            }
        }
        while true {
            let frames = input.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { decoder.read(into: $0, frames: chunkFrames) } ?? 0 }
            if frames <= 0 { break }
            input.withUnsafeBufferPointer { soundtouch_putSamples_i16(stretcher, $0.baseAddress, UInt32(frames)) }
            drain()
        }
        soundtouch_flush(stretcher)
        drain()
        // SoundTouch's flush pads with silence: the length is what the tempo makes of the original.
        let expectedFrames = Int((Double(decoder.frames) / tempoRatio).rounded())
        if output.count > expectedFrames * channels { output.removeLast(output.count - expectedFrames * channels) }
        let frames = Int64(output.count / channels)
        var bytes = DecodedPreview.header(channels: channels, sampleRate: sampleRate, frames: frames)
        bytes.reserveCapacity(bytes.count + output.count * 2)
        output.withUnsafeBytes { raw in
            // WAV is little-endian, as every machine loopweb runs on.
            bytes += raw
        }
        return bytes
    }
}
