/// What `loopbench` prints.
struct BenchReport: Encodable {
    var files: Int
    var audioSeconds: Double
    var libraryBytes: Int64
    var workers: Int
    var indexedFiles: Int
    var errors: Int
    var coldIndexSeconds: Double
    var coldFilesPerSecond: Double
    var coldAudioSecondsPerSecond: Double
    var newFileSearchableMs: Percentiles
    var searchMs: Percentiles
    var peakRSSMegabytes: Double?
}

/// p50, p99 and max of a set of timings.
struct Percentiles: Encodable {
    var count: Int
    var p50: Double
    var p99: Double
    var max: Double

    init(_ values: [Double]) {
        let sorted = values.sorted()
        count = sorted.count
        func at(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = Int((fraction * Double(sorted.count - 1)).rounded())
            return sorted[index]
        }
        p50 = at(0.5)
        p99 = at(0.99)
        max = sorted.last ?? 0
    }
}
