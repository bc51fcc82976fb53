/// Mixes interleaved blocks to one channel and box-averages every
/// `decimation` frames into one value (a crude anti-alias filter, enough for
/// pitch-class and timbre statistics). Boxes cut by a block's end carry over.
struct MonoDecimator {
    let channels: Int
    let decimation: Int
    /// The last block's values: the first `run` returned of them.
    private(set) var output: [Float] = []
    private var sum: Float = 0
    private var count = 0

    init(channels: Int, decimation: Int) {
        self.channels = max(channels, 1)
        self.decimation = max(decimation, 1)
    }

    /// Decimates a block into `output`; returns the values made.
    mutating func run(_ samples: UnsafeBufferPointer<Float>, frames: Int) -> Int {
        let channels = channels, decimation = decimation, box = decimation * channels
        let scale = 1 / Float(box)
        if output.count < frames / decimation + 1 { output = [Float](repeating: 0, count: frames / decimation + 1) }
        if box == 1 {
            output.withUnsafeMutableBufferPointer { output in
                for index in 0..<frames { output[index] = samples[index] }
            }
            return frames
        }
        var sum = sum, count = count, made = 0, frame = 0
        output.withUnsafeMutableBufferPointer { output in
            while frame < frames {
                // Whole boxes of a multiple of eight samples are summed eight at a time.
                if count == 0, box % 8 == 0, frames - frame >= decimation {
                    output[made] = LaneScan.sum(UnsafeBufferPointer(rebasing: samples[(frame * channels)..<((frame + decimation) * channels)])) * scale
                    made += 1
                    frame += decimation
                    continue
                }
                for channel in 0..<channels { sum += samples[frame * channels + channel] }
                count += 1
                frame += 1
                if count == decimation {
                    output[made] = sum * scale
                    made += 1
                    sum = 0
                    count = 0
                }
            }
        }
        self.sum = sum
        self.count = count
        return made
    }
}
