import LoopCore

/// Search results as an aligned text table.
enum RecordTable {
    static func render(_ records: [SampleRecord]) -> String {
        let header = ["ID", "FILE", "FORMAT", "RATE", "CH", "BITS", "LENGTH", "PEAK", "BPM", "KEY", "TYPE"]
        let rows = records.map { record -> [String] in
            let relative = record.path.hasPrefix(record.root + "/") ? String(record.path.dropFirst(record.root.count + 1)) : record.path
            return [
                String(record.id), relative,
                record.error == nil ? (record.format?.rawValue ?? "-") : "error",
                record.sampleRate.map(String.init) ?? "-",
                record.channels.map(String.init) ?? "-",
                record.bitDepth.map(String.init) ?? "-",
                record.duration.map(Formatting.duration) ?? "-",
                Formatting.decibels(record.peakDb),
                Formatting.number(record.bpm),
                record.key ?? "-",
                record.type?.rawValue ?? "-",
            ]
        }
        return align([header] + rows, rightAligned: [0, 3, 4, 5, 6, 7, 8])
    }

    static func align(_ table: [[String]], rightAligned: Set<Int>) -> String {
        guard let columns = table.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in table {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return table.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
