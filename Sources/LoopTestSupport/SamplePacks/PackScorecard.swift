import LoopCore

/// How the analysis' verdicts compare with a generated set's truth, in the
/// measures the accuracy targets use.
public struct PackScorecard: Sendable {
    public struct Tally: Sendable {
        public var right = 0
        public var total = 0
        public var share: Double? { total > 0 ? Double(right) / Double(total) : nil }

        mutating func count(_ isRight: Bool) {
            total += 1
            if isRight { right += 1 }
        }
    }

    public var tempoExact = Tally()
    public var tempoExactTruthfulNames = Tally()
    public var tempoWithinOctave = Tally()
    public var tempoWithinOctaveTruthfulNames = Tally()
    public var keyExact = Tally()
    public var keyRelative = Tally()
    public var type = Tally()
    public var typeTruthfulNames = Tally()
    public var rootNote = Tally()
    public var drumHitsWithoutKey = Tally()
    public var drumLoopsWithoutKey = Tally()
    /// Each sample's line: what it is and what was found.
    public var misses: [String] = []

    public init() {}

    /// Whether `found` is `truth` within 4%, or its double or half.
    public static func withinOctave(_ found: Double?, _ truth: Double) -> Bool {
        guard let found else { return false }
        return [0.5, 1, 2].contains { abs(found - truth * $0) <= 0.04 * truth * $0 }
    }

    public mutating func add(_ sample: PackSample, verdict: SampleVerdict) {
        var wrong: [String] = []
        let typeRight = verdict.type == (sample.isLoop ? .loop : .oneShot)
        type.count(typeRight)
        if !sample.namesMislead { typeTruthfulNames.count(typeRight) }
        if !typeRight { wrong.append("type \(verdict.type?.rawValue ?? "none") from \(verdict.typeSource?.rawValue ?? "-")") }
        if let bpm = sample.trueBpm {
            let exact = verdict.bpm == bpm, near = Self.withinOctave(verdict.bpm, bpm)
            tempoExact.count(exact)
            tempoWithinOctave.count(near)
            if !sample.namesMislead {
                tempoExactTruthfulNames.count(exact)
                tempoWithinOctaveTruthfulNames.count(near)
            }
            if !exact { wrong.append("tempo \(verdict.bpm.map { String($0) } ?? "none") from \(verdict.bpmSource?.rawValue ?? "-")") }
        }
        if let key = sample.trueKey {
            let relative = MusicalKey(pitchClass: key.pitchClass + (key.isMinor ? 3 : -3), isMinor: !key.isMinor)
            keyExact.count(verdict.key == key)
            keyRelative.count(verdict.key == key || verdict.key == relative)
            if verdict.key != key { wrong.append("key \(verdict.key?.name ?? "none") from \(verdict.keySource?.rawValue ?? "-")") }
        }
        if let root = sample.trueRootPitchClass {
            let right = verdict.rootNote == MusicalKey.noteName(pitchClass: root)
            rootNote.count(right)
            if !right { wrong.append("root \(verdict.rootNote ?? "none")") }
        }
        if sample.content == .drumHit {
            let none = verdict.key == nil && verdict.rootNote == nil
            drumHitsWithoutKey.count(none)
            if !none { wrong.append("drum hit keyed \(verdict.key?.name ?? verdict.rootNote ?? "")") }
        }
        if sample.content == .drums {
            drumLoopsWithoutKey.count(verdict.key == nil)
            if let key = verdict.key { wrong.append("drum loop keyed \(key.name)") }
        }
        if !wrong.isEmpty {
            let truth = [sample.trueBpm.map { "\($0) BPM" }, sample.trueKey?.name, sample.trueRootPitchClass.map { "root " + MusicalKey.noteName(pitchClass: $0) }]
                .compactMap { $0 }.joined(separator: " ")
            misses.append("\(sample.relativePath) [\(sample.content.rawValue), \(sample.style.rawValue), \(sample.bars) bars, \(truth)]: " + wrong.joined(separator: "; "))
        }
    }

    /// The figures by name, with the counts they come from.
    public var figures: [(name: String, tally: Tally)] {
        [
            ("tempoExactInteger", tempoExact), ("tempoExactIntegerTruthfulNames", tempoExactTruthfulNames),
            ("tempoWithin4PercentOrOctave", tempoWithinOctave), ("tempoWithin4PercentOrOctaveTruthfulNames", tempoWithinOctaveTruthfulNames),
            ("keyExact", keyExact), ("keyExactOrRelative", keyRelative), ("loopOrOneShot", type), ("loopOrOneShotTruthfulNames", typeTruthfulNames),
            ("rootNoteOfTonalOneShots", rootNote), ("drumHitsWithoutKey", drumHitsWithoutKey), ("drumLoopsWithoutKey", drumLoopsWithoutKey),
        ]
    }
}
