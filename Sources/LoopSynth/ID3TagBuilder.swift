/// Builds ID3v2.3 tags with text frames, as DAWs and taggers write them into
/// MP3 files and WAV/AIFF `id3 ` chunks.
public enum ID3TagBuilder {
    public enum Encoding: Sendable {
        case latin1, utf16
    }

    /// A tag holding `frames` (e.g. ("TBPM", "124"), ("TKEY", "F#m")).
    public static func tag(_ frames: [(id: String, text: String)], encoding: Encoding = .latin1) -> [UInt8] {
        var body: [UInt8] = []
        for frame in frames {
            let text = encoded(frame.text, encoding)
            // A comment has a language and an (empty, terminated) description before its text.
            let payload = frame.id == "COMM"
                ? [text.encodingByte] + Array("eng".utf8) + encoded("", encoding).bytes + text.terminator + text.bytes
                : [text.encodingByte] + text.bytes
            body += Array(frame.id.utf8) + bigEndian(UInt32(payload.count)) + [0, 0] + payload
        }
        return Array("ID3".utf8) + [3, 0, 0] + syncsafe(body.count) + body
    }

    private static func encoded(_ text: String, _ encoding: Encoding) -> (encodingByte: UInt8, bytes: [UInt8], terminator: [UInt8]) {
        switch encoding {
        case .latin1: return (0, text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }, [0])
        case .utf16: return (1, [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, [0, 0])
        }
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func syncsafe(_ value: Int) -> [UInt8] {
        [UInt8(value >> 21 & 0x7F), UInt8(value >> 14 & 0x7F), UInt8(value >> 7 & 0x7F), UInt8(value & 0x7F)]
    }
}
