import CSndFile
import Foundation
import LoopCore

extension SoundFile {
    /// The metadata libsndfile found while opening the file, completed from an ID3 tag in it.
    func embeddedMetadata(path: String) -> EmbeddedMetadata {
        var metadata = EmbeddedMetadata()
        var loop = SF_LOOP_INFO()
        if command(Int32(SFC_GET_LOOP_INFO), &loop) {
            if loop.bpm > 0 && loop.bpm.isFinite { metadata.tempo = Double(loop.bpm) }
            if loop.num_beats > 0 { metadata.beats = Int(loop.num_beats) }
            metadata.oneShot = loop.loop_mode == Int32(SF_LOOP_NONE)
            if (0...127).contains(loop.root_key) { metadata.rootMidiNote = Int(loop.root_key) }
        }
        var instrument = SF_INSTRUMENT()
        if command(Int32(SFC_GET_INSTRUMENT), &instrument) {
            if metadata.rootMidiNote == nil, (1...127).contains(Int(instrument.basenote)) { metadata.rootMidiNote = Int(instrument.basenote) }
            let count = min(Int(instrument.loop_count), 16)
            for index in 0..<max(count, 0) {
                var start: UInt32 = 0, end: UInt32 = 0
                if openloop_instrument_loop(&instrument, Int32(index), &start, &end) != 0, end > start {
                    metadata.loopPoints.append(Int64(start)...Int64(end))
                }
            }
        }
        metadata.title = string(Int32(SF_STR_TITLE))
        metadata.artist = string(Int32(SF_STR_ARTIST))
        metadata.genre = string(Int32(SF_STR_GENRE))
        metadata.comment = string(Int32(SF_STR_COMMENT))
        metadata.cuePoints = cuePoints()
        readBroadcastInfo(into: &metadata)
        if let bytes = ID3TagLocator.tagBytes(path: path), let tag = ID3Tag(bytes: bytes) {
            metadata.merge(tag)
        }
        return metadata
    }

    private func cuePoints() -> [Int64] {
        var count: UInt32 = 0
        guard command(Int32(SFC_GET_CUE_COUNT), &count), count > 0 else { return [] }
        var cues = SF_CUES()
        guard command(Int32(SFC_GET_CUE), &cues) else { return [] }
        return (0..<Int32(min(count, 100))).compactMap { index in
            var position: UInt32 = 0
            return openloop_cue_position(&cues, index, &position) != 0 ? Int64(position) : nil
        }
    }

    private func readBroadcastInfo(into metadata: inout EmbeddedMetadata) {
        var info = SF_BROADCAST_INFO()
        guard command(Int32(SFC_GET_BROADCAST_INFO), &info) else { return }
        metadata.description = Self.text(of: &info.description)
        metadata.originator = Self.text(of: &info.originator)
        if let date = Self.text(of: &info.origination_date) {
            metadata.originated = [date, Self.text(of: &info.origination_time)].compactMap { $0 }.joined(separator: " ")
        }
    }

    /// A fixed-size C char array (imported as a tuple), up to its first NUL, trimmed; nil when empty.
    private static func text<Field>(of field: inout Field) -> String? {
        let value = withUnsafeBytes(of: &field) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        return value.isEmpty ? nil : value
    }
}

extension EmbeddedMetadata {
    /// Fills what is still missing from an ID3 tag.
    mutating func merge(_ tag: ID3Tag) {
        tempo = tempo ?? tag.tempo
        key = key ?? tag.key.flatMap(MusicalKey.init(parsing:))?.name
        title = title ?? tag.title
        artist = artist ?? tag.artist
        genre = genre ?? tag.genre
        comment = comment ?? tag.comment
    }
}
