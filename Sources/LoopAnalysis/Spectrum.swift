import Foundation

/// The Hann window, twiddle factors and bit-reversal order of one FFT size,
/// computed once and shared by every file's `Spectrum`.
struct SpectrumTables: Sendable {
    let size: Int
    let window: [Float]
    let cosines: [Float]
    let sines: [Float]
    /// Bit-reversal order of the half-size complex FFT that a real frame is computed with.
    let bitReversed: [Int]
    /// Each stage's twiddles side by side (the stage of butterfly length L from index L/2 - 1),
    /// so four butterflies load theirs at once; the same values as `cosines` and `sines`.
    let stageCosines: [Float]
    let stageSines: [Float]

    /// `size` must be a power of two.
    init(size: Int) {
        precondition(size >= 4 && size & (size - 1) == 0, "FFT sizes are powers of two")
        self.size = size
        window = (0..<size).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(size))) }
        cosines = (0..<(size / 2)).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        sines = (0..<(size / 2)).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
        var stageCosines: [Float] = [], stageSines: [Float] = []
        var length = 2
        while length <= size / 2 {
            for offset in 0..<(length / 2) {
                stageCosines.append(cosines[offset * size / length])
                stageSines.append(sines[offset * size / length])
            }
            length *= 2
        }
        self.stageCosines = stageCosines
        self.stageSines = stageSines
        let bits = (size / 2).trailingZeroBitCount
        bitReversed = (0..<(size / 2)).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return reversed
        }
    }
}

/// Spectra of real frames by an iterative radix-2 FFT of half the frame's size: even samples as
/// the real parts and odd ones as the imaginary parts, then split into the real frame's bins
/// (half the butterflies of a complex FFT of the whole frame).
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
        tables.stageCosines.withUnsafeBufferPointer { stageCosines in
        tables.stageSines.withUnsafeBufferPointer { stageSines in
        real.withUnsafeMutableBufferPointer { real in
        imaginary.withUnsafeMutableBufferPointer { imaginary in
            let half = size / 2
            for index in 0..<half {
                real[bitReversed[index]] = frame[2 * index] * window[2 * index]
                imaginary[bitReversed[index]] = frame[2 * index + 1] * window[2 * index + 1]
            }
            var length = 2
            while length <= half {
                let halfLength = length / 2
                // Twiddles of the half-size FFT are every other one of the full size's.
                let stride = size / length
                var start = 0
                if halfLength >= 4, let r = real.baseAddress, let i = imaginary.baseAddress,
                   let c = stageCosines.baseAddress, let s = stageSines.baseAddress {
                    // Four butterflies at a time: the same arithmetic, lane by lane.
                    let twiddles = halfLength - 1
                    while start < half {
                        var offset = 0
                        while offset < halfLength {
                            let even = start + offset, odd = even + halfLength
                            let cosine = Self.load(c + twiddles + offset), sine = Self.load(s + twiddles + offset)
                            let oddReal = Self.load(r + odd), oddImaginary = Self.load(i + odd)
                            let evenReal = Self.load(r + even), evenImaginary = Self.load(i + even)
                            let tr = oddReal * cosine - oddImaginary * sine
                            let ti = oddReal * sine + oddImaginary * cosine
                            Self.store(evenReal - tr, at: r + odd)
                            Self.store(evenImaginary - ti, at: i + odd)
                            Self.store(evenReal + tr, at: r + even)
                            Self.store(evenImaginary + ti, at: i + even)
                            offset += 4
                        }
                        start += length
                    }
                }
                while start < half {
                    for offset in 0..<halfLength {
                        let twiddle = offset * stride
                        let even = start + offset, odd = even + halfLength
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
            // Bin k of the real frame from bins k and half - k of the packed one.
            output[0] = (real[0] + imaginary[0]) * (real[0] + imaginary[0])
            output[half] = (real[0] - imaginary[0]) * (real[0] - imaginary[0])
            for bin in 1..<half {
                let zr = real[bin], zi = imaginary[bin], cr = real[half - bin], ci = imaginary[half - bin]
                let er = (zr + cr) * 0.5, ei = (zi - ci) * 0.5
                let or = (zi + ci) * 0.5, oi = (cr - zr) * 0.5
                let xr = er + cosines[bin] * or - sines[bin] * oi
                let xi = ei + cosines[bin] * oi + sines[bin] * or
                output[bin] = xr * xr + xi * xi
            }
        }}}}}}}}
    }

    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }

    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }

    private static func store(_ value: SIMD4<Float>, at pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD4<Float>.self)
    }
}
