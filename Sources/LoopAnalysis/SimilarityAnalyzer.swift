import Foundation
import LoopCore

/// The similarity vector (see `SimilarityVector`): MFCC means and spreads,
/// spectral centroid, flatness, roll-off, flux and zero-crossing rate over
/// the sounding frames, and the shape of the loudness envelope (attack,
/// effective duration, onset rate, temporal centroid).
///
/// 1024-sample spectra are taken every 2048 samples (statistics need a fair
/// sample of frames, not all of them) over the first minute, in the band up
/// to 11 kHz so that files at 22.05 kHz and at 96 kHz describe the same
/// sound alike. Loudness shifts only the zeroth cepstral coefficient, which
/// is left out, so a sample and a quieter copy get nearly the same vector.
public final class SimilarityAnalyzer: BlockAnalyzer {
    public static let name = "similarity"
    public static let version = 1

    static let frameSize = 1024
    static let melBands = 26
    static let coefficients = 13
    static let bandEdges = 40.0...11025.0
    static let longestAnalysedSeconds = 60.0
    /// Frames quieter than -60 dBFS (mean square) say nothing about timbre.
    static let silentPower: Float = 1e-6

    private static let spectrumTables = SpectrumTables(size: frameSize)
    private static let dctTable: [Float] = (1...coefficients).flatMap { coefficient in
        (0..<melBands).map { band in Float(cos(Double.pi * Double(coefficient) * (Double(band) + 0.5) / Double(melBands))) }
    }

    private let spectrum = Spectrum(tables: SimilarityAnalyzer.spectrumTables)
    private let rate: Double
    private let highestBin: Int
    private let melFilters: [(first: Int, weights: [Float])]
    private let sampleLimit: Int
    private let envelopeHop: Int

    // The decimated mono stream.
    private var decimator: MonoDecimator
    private var samplesSeen = 0
    private var frame: [Float]
    private var framePosition = 0
    private var skipping = false
    private var power: [Float]
    private var magnitude: [Float]
    private var previousShape: [Float]
    private var hasPrevious = false
    private var envelopeEnergy: Float = 0
    private var envelopeCount = 0
    private var envelope: [Float] = []

    // Frame statistics.
    private var analysedFrames = 0
    private var cepstrumSums = [Double](repeating: 0, count: SimilarityAnalyzer.coefficients)
    private var cepstrumSquares = [Double](repeating: 0, count: SimilarityAnalyzer.coefficients)
    private var centroidSum = 0.0, centroidSquares = 0.0, flatnessSum = 0.0, rolloffSum = 0.0, zeroCrossingSum = 0.0
    private var fluxSum = 0.0, fluxCount = 0

    public init(format: StreamFormat) {
        let decimation = max(1, format.sampleRate / 44100)
        decimator = MonoDecimator(channels: format.channels, decimation: decimation)
        rate = Double(max(format.sampleRate, 1)) / Double(decimation)
        let binWidth = rate / Double(Self.frameSize)
        highestBin = min(Self.frameSize / 2, Int(min(Self.bandEdges.upperBound, rate / 2) / binWidth))
        melFilters = Self.melFilters(binWidth: binWidth, highestBin: highestBin, top: min(Self.bandEdges.upperBound, rate / 2))
        sampleLimit = Int(Self.longestAnalysedSeconds * rate)
        envelopeHop = max(1, Int(rate / 100))
        frame = [Float](repeating: 0, count: Self.frameSize)
        power = [Float](repeating: 0, count: Self.frameSize / 2 + 1)
        magnitude = [Float](repeating: 0, count: Self.frameSize / 2 + 1)
        previousShape = [Float](repeating: 0, count: Self.frameSize / 2 + 1)
    }

    /// Triangular filters evenly spaced on the mel scale; each covers at least one bin.
    static func melFilters(binWidth: Double, highestBin: Int, top: Double) -> [(first: Int, weights: [Float])] {
        func mel(_ hertz: Double) -> Double { 2595 * log10(1 + hertz / 700) }
        func hertz(_ mel: Double) -> Double { 700 * (pow(10, mel / 2595) - 1) }
        let low = mel(bandEdges.lowerBound), high = mel(max(top, bandEdges.lowerBound * 2))
        let edges = (0...(melBands + 1)).map { hertz(low + (high - low) * Double($0) / Double(melBands + 1)) }
        return (0..<melBands).map { band in
            let left = edges[band], centre = edges[band + 1], right = edges[band + 2]
            // At very low rates the bands lie above the highest bin; they then share the top bin.
            let top = max(1, highestBin)
            let first = min(top, max(1, Int((left / binWidth).rounded(.up))))
            let last = min(top, max(first, Int((right / binWidth).rounded(.down))))
            let weights = (first...last).map { bin -> Float in
                let frequency = Double(bin) * binWidth
                let weight = frequency <= centre ? (frequency - left) / (centre - left) : (right - frequency) / (right - centre)
                return Float(max(weight, 0))
            }
            return (first, weights.allSatisfy { $0 == 0 } ? weights.map { _ in 1 } : weights)
        }
    }

    public func consume(_ samples: UnsafeBufferPointer<Float>, frames: Int) {
        guard samplesSeen < sampleLimit else { return }
        let count = decimator.run(samples, frames: frames)
        guard count > 0 else { return }
        decimator.output.withUnsafeBufferPointer { mono in
            let block = UnsafeBufferPointer(rebasing: mono[0..<min(count, sampleLimit - samplesSeen)])
            samplesSeen += block.count
            followEnvelope(block)
            fillFrames(block)
        }
    }

    /// RMS per 10 ms hop.
    private func followEnvelope(_ block: UnsafeBufferPointer<Float>) {
        var done = 0
        while done < block.count {
            let count = min(block.count - done, envelopeHop - envelopeCount)
            envelopeEnergy += LaneScan.sumOfSquares(UnsafeBufferPointer(rebasing: block[done..<(done + count)]))
            envelopeCount += count
            done += count
            if envelopeCount == envelopeHop {
                envelope.append((envelopeEnergy / Float(envelopeHop)).squareRoot())
                envelopeEnergy = 0
                envelopeCount = 0
            }
        }
    }

    /// Copies samples into the frame being gathered; every other frame is skipped.
    private func fillFrames(_ block: UnsafeBufferPointer<Float>) {
        var position = 0
        while position < block.count {
            let taken = min(Self.frameSize - framePosition, block.count - position)
            if !skipping {
                let start = framePosition
                frame.withUnsafeMutableBufferPointer { frame in
                    for offset in 0..<taken { frame[start + offset] = block[position + offset] }
                }
            }
            framePosition += taken
            position += taken
            if framePosition == Self.frameSize {
                if !skipping { analyseFrame() }
                skipping.toggle()
                framePosition = 0
            }
        }
    }

    private func analyseFrame() {
        let (energy, crossings) = frame.withUnsafeBufferPointer { (LaneScan.sumOfSquares($0), LaneScan.signChanges($0)) }
        guard energy / Float(Self.frameSize) >= Self.silentPower else {
            hasPrevious = false
            return
        }
        frame.withUnsafeBufferPointer { frame in power.withUnsafeMutableBufferPointer { spectrum.power($0, of: frame) } }
        // Buffers and locals for the loops: a class's arrays are checked for exclusive access and
        // uniqueness on every touch.
        var magnitude: [Float] = [], previousShape: [Float] = []
        swap(&magnitude, &self.magnitude)
        swap(&previousShape, &self.previousShape)
        defer {
            swap(&magnitude, &self.magnitude)
            swap(&previousShape, &self.previousShape)
        }
        let highestBin = highestBin, hasPrevious = hasPrevious
        let binWidth = rate / Double(Self.frameSize)
        var total = 0.0, weighted = 0.0, logSum = 0.0, magnitudeTotal: Float = 0, rolloffBin = highestBin, flux: Float = 0
        power.withUnsafeBufferPointer { power in
            magnitude.withUnsafeMutableBufferPointer { magnitude in
                // The logarithm of products of eight: the same sum of logarithms for an eighth of the calls.
                var product = 1.0
                for bin in 1...highestBin {
                    let value = Double(power[bin])
                    total += value
                    weighted += value * Double(bin) * binWidth
                    product *= value + 1e-12
                    if bin % 8 == 0 || bin == highestBin {
                        logSum += log(product)
                        product = 1
                    }
                    magnitude[bin] = power[bin].squareRoot()
                    magnitudeTotal += magnitude[bin]
                }
                guard total > 0, magnitudeTotal > 0 else { return }
                var cumulative = 0.0
                for bin in 1...highestBin {
                    cumulative += Double(power[bin])
                    if cumulative >= 0.85 * total { rolloffBin = bin; break }
                }
                // Flux: how far the spectrum's shape (magnitudes summing to 1) moved since the last sounding frame.
                previousShape.withUnsafeMutableBufferPointer { previousShape in
                    for bin in 1...highestBin {
                        let shape = magnitude[bin] / magnitudeTotal
                        if hasPrevious { flux += (shape - previousShape[bin]) * (shape - previousShape[bin]) }
                        previousShape[bin] = shape
                    }
                }
            }
        }
        guard total > 0, magnitudeTotal > 0 else { return }
        analysedFrames += 1
        let centroid = log2(max(weighted / total, 1))
        centroidSum += centroid
        centroidSquares += centroid * centroid
        let bins = Double(highestBin)
        flatnessSum += exp(logSum / bins) / (total / bins + 1e-12)
        rolloffSum += log2(max(Double(rolloffBin) * binWidth, 1))
        zeroCrossingSum += Double(crossings) / Double(Self.frameSize)
        if hasPrevious {
            fluxSum += Double(flux.squareRoot())
            fluxCount += 1
        }
        self.hasPrevious = true
        addCepstrum()
    }

    /// The frame's mel-frequency cepstrum (coefficients 1-13) into the running sums.
    private func addCepstrum() {
        var logBands = [Float](repeating: 0, count: Self.melBands)
        power.withUnsafeBufferPointer { power in
            for (band, filter) in melFilters.enumerated() {
                var energy: Float = 0
                filter.weights.withUnsafeBufferPointer { weights in
                    for offset in weights.indices { energy += weights[offset] * power[filter.first + offset] }
                }
                logBands[band] = log10(energy + 1e-10)
            }
        }
        Self.dctTable.withUnsafeBufferPointer { table in
            for coefficient in 0..<Self.coefficients {
                var value: Float = 0
                for band in 0..<Self.melBands { value += logBands[band] * table[coefficient * Self.melBands + band] }
                cepstrumSums[coefficient] += Double(value)
                cepstrumSquares[coefficient] += Double(value * value)
            }
        }
    }

    public func finish(into result: inout AudioAnalysis) {
        guard analysedFrames > 0, let loudest = envelope.max(), loudest > 0 else { return }
        let count = Double(analysedFrames)
        func spread(_ sum: Double, _ squares: Double) -> Double { max(0, squares / count - (sum / count) * (sum / count)).squareRoot() }
        var values = cepstrumSums.map { $0 / count }
        values += cepstrumSums.indices.map { spread(cepstrumSums[$0], cepstrumSquares[$0]) }
        values += [
            centroidSum / count, spread(centroidSum, centroidSquares), flatnessSum / count, rolloffSum / count,
            fluxCount > 0 ? fluxSum / Double(fluxCount) : 0, zeroCrossingSum / count,
        ]
        values += envelopeShape(loudest: loudest)
        result.similarity = SimilarityVector(values: values.map { Float($0) })
    }

    /// Attack (log10 s), effective duration (log10 s), onsets per second and temporal centroid (0...1).
    private func envelopeShape(loudest: Float) -> [Double] {
        let hopSeconds = Double(envelopeHop) / rate
        let start = envelope.firstIndex { $0 >= 0.1 * loudest } ?? 0
        let top = envelope.firstIndex { $0 >= 0.9 * loudest } ?? start
        let attack = max(Double(top - start) * hopSeconds, 0.005)
        let effective = max(Double(envelope.filter { $0 >= 0.4 * loudest }.count) * hopSeconds, 0.01)
        // An onset: a rise to well above the last 20 ms, not within 50 ms of the previous one.
        var onsets = 0, lastOnset = -100
        for index in envelope.indices.dropFirst(2) where envelope[index] >= 0.1 * loudest && index - lastOnset >= 5 {
            if envelope[index] > 1.6 * max(envelope[index - 1], envelope[index - 2]) {
                onsets += 1
                lastOnset = index
            }
        }
        let seconds = max(Double(envelope.count) * hopSeconds, 0.01)
        let total = envelope.reduce(0) { $0 + Double($1) }
        let centroid = total > 0 ? envelope.enumerated().reduce(0) { $0 + Double($1.offset) * Double($1.element) } / total / Double(max(envelope.count - 1, 1)) : 0
        return [log10(attack), log10(effective), Double(onsets) / seconds, centroid]
    }
}
