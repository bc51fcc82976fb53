import LoopCore

/// The audio evidence kept beside the verdict, so that a renamed file's verdict can be
/// derived again without decoding it. Each column once: its name and its place in
/// `SampleVerdict.AudioEvidence`.
struct EvidenceColumn: Sendable {
    let name: String
    let stored: @Sendable (SampleVerdict.AudioEvidence) -> StoredValue
    let read: @Sendable (inout SampleVerdict.AudioEvidence, StoredValue) -> Void

    init<Value: StorableValue>(_ name: String, _ keyPath: WritableKeyPath<SampleVerdict.AudioEvidence, Value?> & Sendable) {
        self.name = name
        stored = { $0[keyPath: keyPath].storedValue }
        read = { evidence, value in evidence[keyPath: keyPath] = Value(storedValue: value) }
    }

    /// A key is stored by its name ("F#m").
    init(key name: String, _ keyPath: WritableKeyPath<SampleVerdict.AudioEvidence, MusicalKey?> & Sendable) {
        self.name = name
        stored = { $0[keyPath: keyPath]?.name.storedValue ?? .null }
        read = { evidence, value in evidence[keyPath: keyPath] = String(storedValue: value).flatMap(MusicalKey.init(parsing:)) }
    }

    static let all: [EvidenceColumn] = [
        EvidenceColumn("duration", \.duration),
        EvidenceColumn("trailingSilence", \.trailingSilence),
        EvidenceColumn("audioBpm", \.bpm),
        EvidenceColumn("audioBpmConfidence", \.bpmConfidence),
        EvidenceColumn("audioType", \.type),
        EvidenceColumn("audioTypeConfidence", \.typeConfidence),
        EvidenceColumn(key: "audioKey", \.key),
        EvidenceColumn("audioKeyStrength", \.keyStrength),
        EvidenceColumn("audioRootNote", \.rootNote),
        EvidenceColumn("embeddedTempo", \.embeddedTempo),
        EvidenceColumn("embeddedOneShot", \.embeddedOneShot),
        EvidenceColumn("embeddedRootNote", \.embeddedRootMidiNote),
        EvidenceColumn(key: "embeddedKey", \.embeddedKey),
    ]

    /// The select list `evidence(from:at:)` reads.
    static let selectList = all.map(\.name).joined(separator: ", ")

    static func evidence(from values: (Int) -> StoredValue, at first: Int) -> SampleVerdict.AudioEvidence {
        var evidence = SampleVerdict.AudioEvidence()
        for (offset, column) in all.enumerated() { column.read(&evidence, values(first + offset)) }
        return evidence
    }
}
