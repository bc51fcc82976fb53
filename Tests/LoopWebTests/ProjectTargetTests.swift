import Foundation
import LoopCore
@testable import LoopWeb
import Testing

@Suite struct ProjectTargetTests {
    func key(_ name: String) -> MusicalKey? { MusicalKey(nameOrCamelot: name) }

    @Test func tempoGoesToTheProjectOrItsHalfOrDouble() {
        let project = ProjectTarget(bpm: 140)
        #expect(abs(project.tempoRatio(from: 120) - 140.0 / 120) < 1e-9)
        #expect(abs(project.tempoRatio(from: 70) - 1) < 1e-9, "a half-time loop stays half time")
        #expect(abs(project.tempoRatio(from: 285) - 280.0 / 285) < 1e-9)
        #expect(ProjectTarget(bpm: nil).tempoRatio(from: 120) == 1)
        #expect(project.tempoRatio(from: nil) == 1, "a sound without a tempo keeps its length")
    }

    @Test(arguments: [
        ("Am", "Bm", 2), ("Am", "Gm", -2), ("Am", "C", 0), ("Am", "D", 2), ("C", "Am", 0), ("C", "F#", 6 - 12),
        ("C", "F", 5), ("Em", "8A", 5), ("Em", "Cm", -4),
    ])
    func transposesTheShortestWayKeepingTheMode(source: String, target: String, semitones: Int) throws {
        let targetKey: MusicalKey = try #require(key(target)), sourceKey: MusicalKey = try #require(key(source))
        let project = ProjectTarget(key: targetKey)
        #expect(project.semitones(from: sourceKey) == semitones)
    }

    @Test func rendersTheLengthTheTempoAsks() throws {
        let folder = NSTemporaryDirectory() + "project-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Two seconds of a 16-bit mono WAV, written by hand: the renderer reads it with libsndfile.
        let rate = 44100, frames = 2 * rate
        var samples = [Int16](repeating: 0, count: frames)
        for index in 0..<frames { samples[index] = Int16(8000 * sin(2 * Double.pi * 220 * Double(index) / Double(rate))) }
        var bytes = [UInt8]()
        bytes += Array("RIFF".utf8); bytes += le32(UInt32(36 + frames * 2)); bytes += Array("WAVEfmt ".utf8)
        bytes += le32(16); bytes += [1, 0, 1, 0]; bytes += le32(UInt32(rate)); bytes += le32(UInt32(rate * 2)); bytes += [2, 0, 16, 0]
        bytes += Array("data".utf8); bytes += le32(UInt32(frames * 2))
        samples.withUnsafeBytes { bytes += $0 }
        let path = folder + "/tone.wav"
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let rendered = try ProjectRendering.render(path: path, tempoRatio: 1.25, semitones: 3)
        let renderedFrames = (rendered.count - 44) / 2
        #expect(abs(renderedFrames - Int(Double(frames) / 1.25)) <= 1, "\(renderedFrames) frames")
        // Three semitones up: 220 Hz becomes about 261.6 Hz; count the zero crossings of the middle.
        let pcm = stride(from: 44, to: rendered.count - 1, by: 2).map { Int16(bitPattern: UInt16(rendered[$0]) | UInt16(rendered[$0 + 1]) << 8) }
        let middle = pcm[(pcm.count / 4)..<(3 * pcm.count / 4)]
        var crossings = 0
        var previous = middle.first ?? 0
        for sample in middle.dropFirst() {
            if (previous < 0) != (sample < 0) { crossings += 1 }
            previous = sample
        }
        let frequency = Double(crossings) / 2 / (Double(middle.count) / Double(rate))
        #expect(abs(frequency - 220 * pow(2, 3.0 / 12)) < 5, "\(frequency) Hz")
    }

    private func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}
