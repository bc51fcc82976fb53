import Foundation

/// A min/max overview of a file's audio, mixed across channels.
///
/// Values are int16 sample values (-32768...32767); point `i` covers
/// `samplesPerPoint` frames starting at frame `i * samplesPerPoint`.
public struct Waveform: Codable, Sendable, Equatable {
    public var samplesPerPoint: Int
    public var sampleRate: Int
    public var minimums: [Int16]
    public var maximums: [Int16]

    public init(samplesPerPoint: Int, sampleRate: Int, minimums: [Int16], maximums: [Int16]) {
        self.samplesPerPoint = samplesPerPoint
        self.sampleRate = sampleRate
        self.minimums = minimums
        self.maximums = maximums
    }

    public var pointCount: Int { minimums.count }

    /// Interleaved (min, max) pairs as little-endian bytes, the stored form.
    public var packed: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(pointCount * 4)
        for i in 0..<pointCount {
            for value in [minimums[i], maximums[i]] {
                let bits = UInt16(bitPattern: value)
                bytes.append(UInt8(bits & 0xFF))
                bytes.append(UInt8(bits >> 8))
            }
        }
        return bytes
    }

    private enum CodingKeys: String, CodingKey { case samplesPerPoint, sampleRate, data }

    // The points travel as base64 of `packed` (see `WaveformPeaks`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let bytes = Data(base64Encoded: try container.decode(String.self, forKey: .data)) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "not base64")
        }
        self.init(samplesPerPoint: try container.decode(Int.self, forKey: .samplesPerPoint), sampleRate: try container.decode(Int.self, forKey: .sampleRate), packed: [UInt8](bytes))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(samplesPerPoint, forKey: .samplesPerPoint)
        try container.encode(sampleRate, forKey: .sampleRate)
        try container.encode(Data(packed).base64EncodedString(), forKey: .data)
    }

    /// Rebuilds a waveform from `packed`; a trailing partial pair is ignored.
    public init(samplesPerPoint: Int, sampleRate: Int, packed bytes: [UInt8]) {
        var mins = [Int16](), maxs = [Int16]()
        let count = bytes.count / 4
        mins.reserveCapacity(count); maxs.reserveCapacity(count)
        for i in 0..<count {
            let base = i * 4
            mins.append(Int16(bitPattern: UInt16(bytes[base]) | UInt16(bytes[base + 1]) << 8))
            maxs.append(Int16(bitPattern: UInt16(bytes[base + 2]) | UInt16(bytes[base + 3]) << 8))
        }
        self.init(samplesPerPoint: samplesPerPoint, sampleRate: sampleRate, minimums: mins, maximums: maxs)
    }
}
