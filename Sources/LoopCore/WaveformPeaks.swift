import Foundation

/// Per-channel min/max peaks at a fixed resolution, the data of BBC
/// audiowaveform's .dat files (and of peaks.js, which reads them).
///
/// `values` holds, for each pixel, each channel's (min, max) as int16 sample
/// values, interleaved: pixel 0 ch 0 min, pixel 0 ch 0 max, pixel 0 ch 1 min...
/// Pixel `i` covers frames `i * samplesPerPixel ..< (i + 1) * samplesPerPixel`.
public struct WaveformPeaks: Sendable, Equatable, Codable {
    public var samplesPerPixel: Int
    public var sampleRate: Int
    public var channels: Int
    public var values: [Int16]

    public init(samplesPerPixel: Int, sampleRate: Int, channels: Int, values: [Int16]) {
        self.samplesPerPixel = samplesPerPixel
        self.sampleRate = sampleRate
        self.channels = channels
        self.values = values
    }

    public var pixelCount: Int { channels > 0 ? values.count / (2 * channels) : 0 }

    /// A coarser level: `factor` pixels merged by min-of-mins and max-of-maxes.
    public func coarsened(by factor: Int) -> WaveformPeaks {
        guard factor > 1, channels > 0 else { return self }
        let stride = 2 * channels
        var merged: [Int16] = []
        merged.reserveCapacity((pixelCount + factor - 1) / factor * stride)
        var start = 0
        while start < pixelCount {
            let end = min(start + factor, pixelCount)
            for channel in 0..<channels {
                var low = Int16.max, high = Int16.min
                for pixel in start..<end {
                    low = min(low, values[pixel * stride + 2 * channel])
                    high = max(high, values[pixel * stride + 2 * channel + 1])
                }
                merged += [low, high]
            }
            start = end
        }
        return WaveformPeaks(samplesPerPixel: samplesPerPixel * factor, sampleRate: sampleRate, channels: channels, values: merged)
    }

    /// The values as little-endian bytes, the stored form.
    public var packed: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 2)
        for value in values {
            let bits = UInt16(bitPattern: value)
            bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8)]
        }
        return bytes
    }

    /// Rebuilds peaks from `packed`; a trailing odd byte is ignored.
    public init(samplesPerPixel: Int, sampleRate: Int, channels: Int, packed bytes: [UInt8]) {
        let values = (0..<(bytes.count / 2)).map { Int16(bitPattern: UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8) }
        self.init(samplesPerPixel: samplesPerPixel, sampleRate: sampleRate, channels: channels, values: values)
    }

    private enum CodingKeys: String, CodingKey { case samplesPerPixel, sampleRate, channels, data }

    // The values travel as base64 of `packed`: as JSON numbers they cost the
    // analysis worker's pipe (and both JSON coders) several times as much.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .data)
        guard let bytes = Data(base64Encoded: text).map({ [UInt8]($0) }) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "not base64")
        }
        self.init(
            samplesPerPixel: try container.decode(Int.self, forKey: .samplesPerPixel), sampleRate: try container.decode(Int.self, forKey: .sampleRate),
            channels: try container.decode(Int.self, forKey: .channels), packed: bytes
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(samplesPerPixel, forKey: .samplesPerPixel)
        try container.encode(sampleRate, forKey: .sampleRate)
        try container.encode(channels, forKey: .channels)
        try container.encode(Data(packed).base64EncodedString(), forKey: .data)
    }

    /// An audiowaveform .dat file, version 2, 16-bit: a 24-byte little-endian
    /// header (version, flags, sample rate, samples per pixel, length in
    /// pixels, channels) and then the values.
    public var datFile: [UInt8] {
        func word(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { Array($0) } }
        // Flags bit 0 clear: 16-bit values.
        return word(2) + word(0) + word(sampleRate) + word(samplesPerPixel) + word(pixelCount) + word(channels) + packed
    }

    /// The same as audiowaveform's JSON (version 2, 16-bit), which peaks.js and
    /// waveform-data.js read too.
    public var audiowaveformJSON: String {
        var text = "{\"version\":2,\"channels\":\(channels),\"sample_rate\":\(sampleRate),\"samples_per_pixel\":\(samplesPerPixel)"
        text += ",\"bits\":16,\"length\":\(pixelCount),\"data\":["
        text.reserveCapacity(text.utf8.count + values.count * 7)
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += String(value)
        }
        return text + "]}"
    }
}
