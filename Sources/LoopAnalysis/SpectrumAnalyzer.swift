import Foundation

/// Magnitude spectra of real frames by an iterative radix-2 FFT, with the
/// twiddle factors and Hann window computed once per size.
struct Spectrum {
    let size: Int
    private let window: [Float]
    private let cosines: [Float]
    private let sines: [Float]
    private let bitReversed: [Int]

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

    /// Magnitudes of bins 0...size/2 of the windowed frame (`frame.count == size`).
    func magnitudes(of frame: [Float]) -> [Float] {
        var real = [Float](repeating: 0, count: size)
        var imaginary = [Float](repeating: 0, count: size)
        for index in 0..<size { real[bitReversed[index]] = frame[index] * window[index] }
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
        return (0...(size / 2)).map { (real[$0] * real[$0] + imaginary[$0] * imaginary[$0]).squareRoot() }
    }
}
