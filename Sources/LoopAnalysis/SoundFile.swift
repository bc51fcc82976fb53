import Foundation
import CSndFile
import LoopCore

/// A file opened for reading through libsndfile. Not thread-safe: one decode
/// pass owns it from open to close.
final class SoundFile {
    private let handle: OpaquePointer
    let info: SF_INFO

    /// Opens `path` and validates what the header claims before any sample is read.
    init(path: String) throws(AnalysisError) {
        var info = SF_INFO()
        guard let handle = FileName.withCString(path, { sf_open($0, Int32(SFM_READ), &info) }) else {
            throw .cannotOpen(reason: Self.openErrorText())
        }
        self.handle = handle
        self.info = info
        guard (1...64).contains(info.channels) else {
            sf_close(handle)
            throw .invalidStream(reason: "it claims \(info.channels) channels")
        }
        guard (1...1_536_000).contains(info.samplerate) else {
            sf_close(handle)
            throw .invalidStream(reason: "it claims a sample rate of \(info.samplerate) Hz")
        }
        guard info.frames >= 0 else {
            sf_close(handle)
            throw .invalidStream(reason: "it claims a negative length")
        }
    }

    deinit { sf_close(handle) }

    var channels: Int { Int(info.channels) }
    var sampleRate: Int { Int(info.samplerate) }

    /// Reads up to `frames` interleaved frames into `buffer`; returns the frames read, 0 at the end.
    func read(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
    }

    /// Reads up to `frames` interleaved frames as 16-bit integers; returns the frames read.
    func readShorts(into buffer: UnsafeMutablePointer<Int16>, frames: Int) -> Int {
        Int(sf_readf_short(handle, buffer, sf_count_t(frames)))
    }

    func seek(toFrame frame: Int64) -> Bool {
        sf_seek(handle, sf_count_t(frame), SEEK_SET) == sf_count_t(frame)
    }

    /// `sf_command` with a struct to fill; true when libsndfile filled it.
    func command<T>(_ command: Int32, _ value: inout T) -> Bool {
        withUnsafeMutableBytes(of: &value) { raw in
            sf_command(handle, command, raw.baseAddress, Int32(raw.count)) == SF_TRUE
        }
    }

    /// A text tag, trimmed; nil when absent or empty.
    func string(_ type: Int32) -> String? {
        guard let text = sf_get_string(handle, type) else { return nil }
        // Tags are not always UTF-8; keep their bytes readable rather than failing.
        let value = String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        return value.isEmpty ? nil : value
    }

    /// libsndfile's description of the last error on this file, or nil when there was none.
    var lastError: String? {
        guard sf_error(handle) != 0, let text = sf_strerror(handle) else { return nil }
        return String(cString: text)
    }

    private static func openErrorText() -> String {
        guard let text = sf_strerror(nil) else { return "unknown error" }
        return String(cString: text)
    }
}
