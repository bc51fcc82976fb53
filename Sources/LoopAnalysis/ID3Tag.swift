import Foundation

/// The text frames of an ID3v2 tag (v2.2, v2.3 and v2.4) that describe a
/// sample: title, artist, genre, comment, tempo (`TBPM`) and key (`TKEY`).
///
/// ID3 tags sit at the start of MP3 files and in `id3 ` chunks of WAV and
/// AIFF files, where libsndfile does not read them. Malformed tags yield
/// what could be read before the damage, never an error.
struct ID3Tag: Equatable {
    var title: String?
    var artist: String?
    var genre: String?
    var comment: String?
    var tempo: Double?
    var key: String?

    /// Size of the tag starting at `header` (its 10-byte header included), or nil if `header` does not start one.
    static func size(header: some Collection<UInt8>) -> Int? {
        let bytes = Array(header.prefix(10))
        guard bytes.count == 10, bytes[0] == 0x49, bytes[1] == 0x44, bytes[2] == 0x33, (2...4).contains(bytes[3]) else { return nil }
        guard let body = syncsafe(bytes[6...9]) else { return nil }
        return 10 + body
    }

    /// Parses a whole tag, header included; nil when `bytes` is not an ID3v2 tag.
    init?(bytes: [UInt8]) {
        guard let total = Self.size(header: bytes) else { return nil }
        let version = bytes[3]
        let flags = bytes[5]
        // Unsynchronised tags (flag 0x80) are rare and need un-escaping; read them as they are.
        var offset = 10
        let end = min(total, bytes.count)
        if flags & 0x40 != 0, version >= 3, end >= 14 {
            // Skip the extended header.
            let size = version == 4 ? Self.syncsafe(bytes[10..<14]) ?? 0 : Self.bigEndian(bytes[10..<14]) + 4
            offset += size
        }
        let idLength = version == 2 ? 3 : 4
        let headerLength = version == 2 ? 6 : 10
        while offset + headerLength <= end {
            let idBytes = bytes[offset..<(offset + idLength)]
            guard idBytes.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }) else { break }
            let sizeBytes = bytes[(offset + idLength)..<(offset + idLength + (version == 2 ? 3 : 4))]
            let size = version == 4 ? (Self.syncsafe(sizeBytes) ?? Self.bigEndian(sizeBytes)) : Self.bigEndian(sizeBytes)
            let start = offset + headerLength
            guard size > 0, start + size <= end else { break }
            let id = String(decoding: idBytes, as: UTF8.self)
            let payload = Array(bytes[start..<(start + size)])
            switch id {
            case "TIT2", "TT2": title = Self.text(payload)
            case "TPE1", "TP1": artist = Self.text(payload)
            case "TCON", "TCO": genre = Self.text(payload).map(Self.genreName)
            case "TBPM", "TBP": tempo = Self.text(payload).flatMap { Double($0) }.flatMap { $0 > 0 && $0 < 1000 ? $0 : nil }
            case "TKEY", "TKE": key = Self.text(payload)
            case "COMM", "COM": comment = Self.commentText(payload)
            default: break
            }
            offset = start + size
        }
    }

    /// A text frame: an encoding byte, then the text (several values separated by NULs; the first is kept).
    static func text(_ payload: [UInt8]) -> String? {
        guard let encoding = payload.first else { return nil }
        let value = decode(Array(payload.dropFirst()), encoding: encoding).first ?? ""
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A comment frame: encoding, a three-letter language, a short description, then the text.
    static func commentText(_ payload: [UInt8]) -> String? {
        guard payload.count > 4 else { return nil }
        let parts = decode(Array(payload.dropFirst(4)), encoding: payload[0])
        let value = (parts.count > 1 ? parts[1] : parts.first ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// The NUL-separated strings of a text in one of ID3's four encodings.
    static func decode(_ bytes: [UInt8], encoding: UInt8) -> [String] {
        switch encoding {
        case 1, 2:
            var units: [UInt16] = []
            var bigEndian = encoding == 2
            var index = 0
            var strings: [String] = []
            while index + 1 < bytes.count {
                let pair = (bytes[index], bytes[index + 1])
                index += 2
                if pair == (0xFF, 0xFE) { bigEndian = false; continue }
                if pair == (0xFE, 0xFF) { bigEndian = true; continue }
                let unit = bigEndian ? UInt16(pair.0) << 8 | UInt16(pair.1) : UInt16(pair.1) << 8 | UInt16(pair.0)
                if unit == 0 {
                    strings.append(String(decoding: units, as: UTF16.self))
                    units = []
                } else {
                    units.append(unit)
                }
            }
            if !units.isEmpty || strings.isEmpty { strings.append(String(decoding: units, as: UTF16.self)) }
            return strings
        case 3:
            return bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        default:
            // ISO-8859-1: each byte is the code point.
            return bytes.split(separator: 0, omittingEmptySubsequences: false).map { part in
                String(String.UnicodeScalarView(part.compactMap { Unicode.Scalar(UInt32($0)) }))
            }
        }
    }

    /// "(17)" or "17" is an ID3v1 genre number; only the common ones in sample libraries are named.
    static func genreName(_ value: String) -> String {
        let digits = value.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
        guard let number = Int(digits) else { return value }
        let names = [0: "Blues", 2: "Country", 3: "Dance", 7: "Hip-Hop", 8: "Jazz", 9: "Metal", 13: "Pop", 14: "R&B", 15: "Rap",
                     16: "Reggae", 17: "Rock", 18: "Techno", 26: "Ambient", 31: "Trance", 35: "House", 52: "Electronic"]
        return names[number] ?? value
    }

    static func syncsafe(_ bytes: some Collection<UInt8>) -> Int? {
        guard bytes.count == 4, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        return bytes.reduce(0) { $0 << 7 | Int($1) }
    }

    static func bigEndian(_ bytes: some Collection<UInt8>) -> Int {
        bytes.reduce(0) { $0 << 8 | Int($1) }
    }
}
