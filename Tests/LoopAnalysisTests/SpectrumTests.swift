import Foundation
@testable import LoopAnalysis
import Testing

/// The FFT against a direct DFT of the same windowed frame.
@Suite struct SpectrumTests {
    @Test(arguments: [8, 64, 1024])
    func powerEqualsADirectTransform(size: Int) {
        var seed: UInt64 = 12345
        let frame: [Float] = (0..<size).map { index in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(sin(Double(index) * 0.37)) + Float(seed >> 40) / Float(1 << 24) - 0.5
        }
        let tables = SpectrumTables(size: size)
        var power = [Float](repeating: 0, count: size / 2 + 1)
        frame.withUnsafeBufferPointer { frame in power.withUnsafeMutableBufferPointer { Spectrum(tables: tables).power($0, of: frame) } }
        var largest = 0.0
        var direct = [Double](repeating: 0, count: size / 2 + 1)
        for bin in 0...(size / 2) {
            var re = 0.0, im = 0.0
            for index in 0..<size {
                let sample = Double(frame[index]) * Double(tables.window[index])
                let angle = -2 * Double.pi * Double(bin * index) / Double(size)
                re += sample * cos(angle)
                im += sample * sin(angle)
            }
            direct[bin] = re * re + im * im
            largest = max(largest, direct[bin])
        }
        for bin in 0...(size / 2) {
            #expect(abs(Double(power[bin]) - direct[bin]) <= 1e-4 * largest, "bin \(bin) of \(size)")
        }
    }
}
