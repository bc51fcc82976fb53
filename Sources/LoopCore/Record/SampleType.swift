/// Whether a sample is a loop (it repeats seamlessly at a tempo) or a one-shot (a single hit or note).
public enum SampleType: String, Sendable, Codable, CaseIterable, StorableValue {
    case loop
    case oneShot = "one-shot"
}

/// Where a tempo, key or type came from, from the most to the least trusted.
public enum EvidenceSource: String, Sendable, Codable, CaseIterable, StorableValue {
    /// The file's own metadata: loop info, ID3 `TBPM` or `TKEY`.
    case embedded
    /// The file's name.
    case filename
    /// The name of a folder the file is in.
    case folder
    /// What the analysis heard.
    case audio
}

/// The container format of an audio file, lower case on the wire.
public enum AudioFormat: String, Sendable, Codable, CaseIterable, StorableValue {
    case wav, aiff, flac, ogg, mp3, caf, w64, au
    /// A container libsndfile decodes that has no name here.
    case other
}
