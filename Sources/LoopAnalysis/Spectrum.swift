import Foundation

/// The Hann window, twiddle factors and bit-reversal order of one FFT size,
/// computed once and shared by every file's `Spectrum`.
struct SpectrumTables: Sendable {
    let size: Int
    let window: [Float]
    let cosines: [Float]
    let sines: [Float]
    let bitReversed: [Int]

    /// `size` must be a power of two.
    init(size: Int) {
        precondition(size >= 4 && size & (size - 1) == 0, "FFT sizes are powers of two")
        self.size = size
        window = (0..<size).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
        cosines = (0..<(size / 2)).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        sines = (0..<(size / 2)).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
        let bits = size.trailingZeroBitCount
        bitReversed = (0..<size).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return reversed
        }
    }
}

/// Spectra of real frames by an iterative radix-2 FFT.
///
/// Each instance owns its scratch buffers, so an analyzer makes its own and
/// no frame allocates.
final class Spectrum {
    let size: Int
    private let tables: SpectrumTables
    private var real: [Float]
    private var imaginary: [Float]

    init(tables: SpectrumTables) {
        self.tables = tables
        size = tables.size
        real = [Float](repeating: 0, count: size)
        imaginary = [Float](repeating: 0, count: size)
    }

    /// Magnitudes of bins 0...size/2 of the windowed frame (`frame.count == size`).
    func magnitudes(of frame: [Float]) -> [Float] {
        var power = [Float](repeating: 0, count: size / 2 + 1)
        frame.withUnsafeBufferPointer { frame in power.withUnsafeMutableBufferPointer { self.power($0, of: frame) } }
        return power.map { $0.squareRoot() }
    }

    /// Squared magnitudes of bins 0...size/2 of the windowed frame into `output`.
    func power(_ output: UnsafeMutableBufferPointer<Float>, of frame: UnsafeBufferPointer<Float>) {
        precondition(frame.count == size && output.count == size / 2 + 1, "frame and output sizes")
        let size = size
        tables.window.withUnsafeBufferPointer { window in
        tables.cosines.withUnsafeBufferPointer { cosines in
        tables.sines.withUnsafeBufferPointer { sines in
        tables.bitReversed.withUnsafeBufferPointer { bitReversed in
        real.withUnsafeMutableBufferPointer { real in
        imaginary.withUnsafeMutableBufferPointer { imaginary in
            for index in 0..<size {
                real[bitReversed[index]] = frame[index] * window[index]
                imaginary[index] = 0
            }
            var length = 2
            while length <= size {
                let half = length / 2
                let stride = size / length
                var start = 0
                while start < size {
                    for offset in 0..<half {
                        let twiddle = offset * stride
                        let even = start + offset, odd = even + half
                        let tr = real[odd] * cosines[twiddle] - imaginary[odd] * sines[twiddle]
                        let ti = real[odd] * sines[twiddle] + imaginary[odd] * cosines[twiddle]
                        real[odd] = real[even] - tr
                        imaginary[odd] = imaginary[even] - ti
                        real[even] += tr
                        imaginary[even] += ti
                    }
                    start += length
                }
                length *= 2
            }
            for bin in 0...(size / 2) { output[bin] = real[bin] * real[bin] + imaginary[bin] * imaginary[bin] }
        }}}}}}
    }
}
