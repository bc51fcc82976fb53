/// Draws a min/max waveform with Unicode block characters, mirrored around a
/// centre line: the top half shows the maxima rising, the bottom half the
/// minima falling, each in eighth-of-a-cell steps.
struct WaveformRenderer {
    let width: Int
    let height: Int

    private static let rising: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    private static let falling: [Character] = [" ", "▔", "▔", "▀", "▀", "▀", "▀", "▀", "█"]

    func render(minimums: [Int16], maximums: [Int16]) -> String {
        let columns = resample(minimums: minimums, maximums: maximums)
        let half = max(1, height / 2)
        var lines: [String] = []
        for row in 0..<half {
            // Row 0 is the top; level counts eighths from the centre line upward.
            let base = (half - 1 - row) * 8
            lines.append(String(columns.map { Self.rising[min(8, max(0, $0.up - base))] }))
        }
        for row in 0..<half {
            let base = row * 8
            lines.append(String(columns.map { Self.falling[min(8, max(0, $0.down - base))] }))
        }
        return lines.joined(separator: "\n")
    }

    /// Reduces the points to `width` columns, as eighths of the half height.
    private func resample(minimums: [Int16], maximums: [Int16]) -> [(up: Int, down: Int)] {
        let count = min(minimums.count, maximums.count)
        guard count > 0 else { return Array(repeating: (0, 0), count: width) }
        let eighths = Double(max(1, height / 2) * 8)
        return (0..<width).map { column in
            let start = column * count / width
            let end = max(start + 1, (column + 1) * count / width)
            var high: Int16 = 0, low: Int16 = 0
            for index in start..<min(end, count) {
                high = max(high, maximums[index])
                low = min(low, minimums[index])
            }
            let up = Int((Double(high) / 32767 * eighths).rounded(.up))
            let down = Int((Double(-Int(low)) / 32768 * eighths).rounded(.up))
            return (up, down)
        }
    }
}
