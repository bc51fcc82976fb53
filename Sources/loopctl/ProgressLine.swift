#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A one-line progress bar on stderr, redrawn in place; silent when stderr
/// is not a terminal, so logs and scripts see only the outcome.
final class ProgressLine {
    private let label: String
    private let totalBytes: Int64
    private let totalFiles: Int
    private let enabled: Bool
    private var lastDrawn = 0.0

    init(_ label: String, files: Int, bytes: Int64, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        totalFiles = files
        totalBytes = max(bytes, 1)
        self.enabled = enabled
    }

    /// Redraws at most ten times a second, and always for the last file.
    func update(file: Int, bytes: Int64) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastDrawn >= 0.1 || file == totalFiles else { return }
        lastDrawn = now
        let fraction = min(Double(bytes) / Double(totalBytes), 1)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let line = "\r\(label) [\(bar)] \(file)/\(totalFiles) files, \(Formatting.bytes(bytes)) of \(Formatting.bytes(totalBytes))"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Writes one sentence to stderr, as every loopctl error is.
func complain(_ sentence: String) {
    FileHandle.standardError.write(Data("loopctl: \(sentence)\n".utf8))
}
