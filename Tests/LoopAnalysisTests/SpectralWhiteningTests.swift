@testable import LoopAnalysis
import Testing

/// Peaks above the local median survive whitening; a broadband floor does not.
@Suite struct SpectralWhiteningTests {
    @Test func aNoteStandsAboveItsFloorAndTheFloorGoes() {
        var magnitudes = [Float](repeating: 2, count: 200)
        magnitudes[100] = 10
        magnitudes[101] = 6
        var peaks = [Float](repeating: -1, count: 200)
        SpectralWhitening.peaks(of: magnitudes, bins: 20...180, into: &peaks)
        #expect(peaks[100] == 8)
        #expect(peaks[101] == 4)
        #expect(peaks[20...180].enumerated().allSatisfy { $0.offset + 20 == 100 || $0.offset + 20 == 101 || $0.element == 0 })
        // Bins outside the range are left as they were.
        #expect(peaks[19] == -1 && peaks[181] == -1)
    }

    @Test func theMedianOfAShortBufferIsItsMiddleValue() {
        var values: [Float] = [9, 1, 8, 2, 7, 3, 6, 4, 5, 0, 14, 13, 12, 11, 10]
        #expect(SpectralWhitening.median(&values) == 7)
    }
}
