import Foundation
import LoopAPI
import LoopCore
import Testing

@Suite struct ModelTests {
    @Test(arguments: [
        ("120..128", 120.0, 128.0, true),
        ("<2", nil, 2.0, false),
        (">=-14", -14.0, nil, true),
        ("124", 124.0, 124.0, true),
        ("..3", nil, 3.0, true),
    ] as [(String, Double?, Double?, Bool)])
    func rangesParse(text: String, lower: Double?, upper: Double?, inclusive: Bool) throws {
        let range = try #require(NumericRange(parsing: text))
        #expect(range.lower == lower)
        #expect(range.upper == upper)
        #expect((lower == nil ? range.upperInclusive : range.lowerInclusive) == inclusive)
    }

    @Test func badRangesAreRefused() {
        for text in ["", "abc", "5..3", "..", "<x", "1..2..3"] {
            #expect(NumericRange(parsing: text) == nil, "\(text)")
        }
    }

    @Test func rangeMembership() throws {
        let range = try #require(NumericRange(parsing: "<2"))
        #expect(range.contains(1.99))
        #expect(!range.contains(2))
        #expect(try #require(NumericRange(parsing: "1..2")).contains(2))
    }

    @Test func rangesTravelAsTheirText() throws {
        let query = SearchQuery(text: "kick", bpm: NumericRange(parsing: "120..128"), duration: NumericRange(parsing: "<2"))
        let json = String(decoding: try JSONEncoder().encode(query), as: UTF8.self)
        #expect(json.contains("\"bpm\":\"120..128\""))
        #expect(json.contains("\"duration\":\"<2\""))
        #expect(try JSONDecoder().decode(SearchQuery.self, from: Data(json.utf8)) == query)
    }

    @Test func unknownValuesEncodeAsExplicitNull() throws {
        let record = SampleRecord(id: 1, path: "/l/a.wav", root: "/l", size: 10, addedAt: 0, analyzedAt: 0)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? [String: Any]
        let keys = Set(object?.keys.map { $0 } ?? [])
        for key in ["id", "path", "root", "format", "sampleRate", "channels", "bitDepth", "duration", "peakDb", "rmsDb", "bpm", "key", "type", "hash", "error"] {
            #expect(keys.contains(key), "\(key) missing")
        }
        #expect(object?["bpm"] is NSNull)
    }

    /// A record with every field away from its default, strings that need escaping, and numbers
    /// that print in exponent form.
    static var everyFieldFilled: SampleRecord {
        var record = SampleRecord(
            id: 42, path: "/l/Ünïcode \"quoted\"\\ \t tab/\u{1}.wav", root: "/l", size: 1 << 40, format: .wav,
            sampleRate: 96000, channels: 2, bitDepth: 24, duration: 1e-7, peakDb: -0.1, rmsDb: -120.25,
            bpm: 124, key: "F#m", type: .oneShot, hash: "ab", error: "Line\nbreak", addedAt: 1_795_306_091.4750738, analyzedAt: 3, offline: true
        )
        record.peakPosition = 0.000_125
        record.truePeakDb = 0.3
        record.loudnessLufs = -14.2
        record.loudnessRangeLu = 6.5
        record.clipLoudnessLufs = -9.75
        record.dcOffset = -3.2e-5
        record.clippedSamples = 17
        record.leadingSilence = 0.01
        record.trailingSilence = 1.5
        record.bpmConfidence = 0.93
        record.bpmSource = .filename
        record.camelot = "11A"
        record.keyStrength = 0.61
        record.rootNote = "C#"
        record.title = "Title ☃"
        record.artist = "Artist"
        record.genre = "House"
        record.comment = "A \"comment\""
        record.loopStart = 0
        record.loopEnd = 88200
        record.cuePoints = [0, 44100, 9_000_000_000]
        record.description = "Take 3"
        record.originator = "Studio B"
        record.originated = "2026-05-01 14:30:00"
        record.keySource = .audio
        record.typeSource = .folder
        record.typeConfidence = 0.6
        record.instruments = ["kick", "808"]
        record.modifiedNs = 1_795_306_091_475_073_800
        record.addedBy = "alice"
        record.tags = ["warm", "dark"]
        record.favourite = true
        record.take = TakeFields(artist: "Band", song: "Song", track: "Bass", version: "2")
        record.originalName = "Bass take.wav"
        return record
    }

    @Test(arguments: [
        SampleRecord(id: 1, path: "/l/a.wav", root: "/l", size: 10, addedAt: 0, analyzedAt: 0.5),
        ModelTests.everyFieldFilled,
    ])
    func writtenJSONMatchesTheEncoder(record: SampleRecord) throws {
        var text = ""
        [record].writeJSON(to: &text)
        let written = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSArray
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode([record])) as? NSArray
        #expect(written == encoded)
        #expect(try JSONDecoder().decode([SampleRecord].self, from: Data(text.utf8)) == [record])
    }

    /// Every field of the list is filled in `everyFieldFilled`, so the test above covers a field as soon as it is added.
    @Test func everyFieldIsWrittenOnceAndFilledInTheTest() throws {
        let names = SampleRecord.fields.map(\.name)
        #expect(Set(names).count == names.count, "a field is listed twice")
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.everyFieldFilled)) as? [String: Any])
        #expect(Set(object.keys) == Set(names))
        for name in names {
            #expect(!(object[name] is NSNull), "\(name) is not filled in everyFieldFilled")
            if let list = object[name] as? [Any] { #expect(!list.isEmpty, "\(name) is empty in everyFieldFilled") }
        }
    }

    @Test func aPartialTakeIsWrittenAsTheEncoderWritesIt() throws {
        var record = SampleRecord(id: 1, path: "/l/a.wav", root: "/l", size: 10, addedAt: 0, analyzedAt: 0)
        record.take = TakeFields(song: "Song")
        var text = ""
        record.writeJSON(to: &text)
        let written = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? NSDictionary
        #expect(written == encoded)
    }

    @Test func aWrittenFindResultMatchesTheEncoder() throws {
        var facets = SearchFacets()
        facets.key = ["Am": 3, "F#m": 1]
        facets.folder = ["": 2, "Drums \"A\"": 4]
        for result in [
            FindResult(records: [SampleRecord(id: 1, path: "/l/a.wav", root: "/l", size: 10, addedAt: 0, analyzedAt: 0.5)], next: "WyJpMSJd", facets: facets),
            FindResult(records: [], next: nil),
        ] {
            var text = ""
            result.writeJSON(to: &text)
            let written = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? NSDictionary
            #expect(written == encoded)
            #expect(try JSONDecoder().decode(FindResult.self, from: Data(text.utf8)) == result)
        }
    }

    @Test func aWrittenRecordsPageMatchesTheEncoder() throws {
        for page in [RecordsPage(records: [ModelTests.everyFieldFilled], next: 1_234_567_890_123), RecordsPage(records: [], next: nil)] {
            var text = ""
            page.writeJSON(to: &text)
            let written = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
            let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(page)) as? NSDictionary
            #expect(written == encoded)
            #expect(try JSONDecoder().decode(RecordsPage.self, from: Data(text.utf8)) == page)
        }
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONLiteral.number(Double.infinity) == "null")
        #expect(JSONLiteral.number(Double.nan) == "null")
        #expect(JSONLiteral.number(-6.5) == "-6.5")
    }

    @Test func junkNamesAreIgnored() {
        let rules = IgnoreRules.standard
        for name in ["._Kick.wav", ".DS_Store", "Thumbs.db", "desktop.ini", "~$temp.wav", ".loopd-sync-1-1", ".Trash-1000", "$RECYCLE.BIN"] {
            #expect(rules.ignores(name: name), "\(name)")
        }
        #expect(!rules.ignores(name: "Kick.wav"))
    }

    /// The scan tests raw names; it must agree with the `String` test on every kind of name.
    @Test func rawNameTestsAgreeWithStringTests() {
        let rules = IgnoreRules(patterns: IgnoreRules.defaultPatterns + ["*.BAK", "Ünïcode*", "take?.wav"])
        let extensions = ExtensionMatcher(["wav", "flac", "aiff"])
        let names: [[UInt8]] = [
            "._Kick.wav", ".DS_Store", "THUMBS.DB", "Desktop.ini", "~$temp.wav", ".loopignore", ".Trash-1000",
            "$RECYCLE.BIN", "song.PART", "x.tmp", ".Kick.wav.a1B2c3", "Kick.wav", "KICK.WAV", "kick.Flac",
            "old.bak", "ünïcode take.wav", "ÜNÏCODE.wav", "take1.wav", "take12.wav", "noextension", "trailingdot.",
            ".wav", "Café.WAV", "e\u{301}.wav", "x.wÄv",
        ].map { Array($0.utf8) } + [[0x66, 0xFF, 0x2E, 0x77, 0x61, 0x76], [0x2E, 0xFF], [0xFF, 0x2E, 0x74, 0x6D, 0x70]]
        for bytes in names {
            let name = FileName.decode(bytes)
            bytes.withUnsafeBytes { raw in
                #expect(rules.ignores(rawName: raw) == rules.ignores(name: name), "\(name)")
                #expect(extensions.matches(rawName: raw) == extensions.matches(name: name), "\(name)")
            }
        }
        #expect(rules.ignores(name: "ünïcode take.wav") && rules.ignores(name: "take1.wav") && !rules.ignores(name: "take12.wav"))
        #expect(extensions.matches(name: "KICK.WAV") && !extensions.matches(name: ".wav") && !extensions.matches(name: "trailingdot."))
    }

    @Test func waveformPacksLosslessly() {
        let waveform = Waveform(samplesPerPoint: 256, sampleRate: 44100, minimums: [-32768, -1, 0], maximums: [32767, 1, 0])
        #expect(Waveform(samplesPerPoint: 256, sampleRate: 44100, packed: waveform.packed) == waveform)
    }
}

@Suite struct FileNameTests {
    @Test(arguments: [
        Array("plain.wav".utf8),
        Array("Café é 日本.wav".utf8),
        [0x66, 0xFF, 0x2E, 0x77, 0x61, 0x76],            // a lone invalid byte
        [0xC3, 0x28, 0xE2, 0x82, 0xF0, 0x9F, 0x98],       // truncated and broken sequences
        [0xC0, 0xAF, 0xED, 0xA0, 0x80],                   // overlong and surrogate encodings
        [0xF4, 0x8F, 0xBB, 0x80, 0x41],                   // valid UTF-8 of an escape scalar, escaped too
        Array(0...255).map(UInt8.init).filter { $0 != 0 && $0 != 0x2F },
    ] as [[UInt8]])
    func bytesRoundTrip(bytes: [UInt8]) {
        let name = FileName.decode(bytes)
        #expect(FileName.encode(name) == bytes)
        // And through JSON, as the protocol carries it.
        let json = try? JSONEncoder().encode([name])
        let back = json.flatMap { try? JSONDecoder().decode([String].self, from: $0) }?.first
        #expect(back.map(FileName.encode) == bytes)
    }

    @Test func validNamesAreUnchanged() {
        #expect(FileName.decode(Array("Kick é.wav".utf8)) == "Kick é.wav")
    }
}

@Suite struct WaveformPeaksTests {
    // Two channels, three pixels: (min, max) per channel per pixel.
    let peaks = WaveformPeaks(samplesPerPixel: 256, sampleRate: 48000, channels: 2, values: [
        -10, 10, -1, 1,
        -30, 5, -2, 2,
        -5, 40, -3, 3,
    ])

    @Test func coarserLevelsTakeTheExtremes() {
        let coarse = peaks.coarsened(by: 2)
        #expect(coarse.samplesPerPixel == 512 && coarse.pixelCount == 2)
        #expect(coarse.values == [-30, 10, -2, 2, -5, 40, -3, 3])
        #expect(peaks.coarsened(by: 1) == peaks)
    }

    @Test func datFileIsAudiowaveformVersion2() {
        let bytes = peaks.datFile
        func word(_ offset: Int) -> UInt32 { bytes[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(bytes.count == 24 + 12 * 2)
        #expect([word(0), word(4), word(8), word(12), word(16), word(20)] == [2, 0, 48000, 256, 3, 2])
        // The first value, -10, little-endian.
        #expect(bytes[24] == 0xF6 && bytes[25] == 0xFF)
        #expect(WaveformPeaks(samplesPerPixel: 256, sampleRate: 48000, channels: 2, packed: Array(bytes[24...])) == peaks)
    }
}

@Suite struct SimilarityVectorTests {
    @Test func packingRoundTrips() throws {
        let values = (0..<SimilarityVector.dimensions).map { Float($0) * -1.5 + 0.25 }
        let vector = try #require(SimilarityVector(values: values))
        #expect(vector.packed.count == 4 * SimilarityVector.dimensions)
        #expect(SimilarityVector(packed: vector.packed) == vector)
        #expect(SimilarityVector(packed: vector.packed.dropLast()) == nil)
        #expect(SimilarityVector(values: [1, 2]) == nil)
        #expect(SimilarityVector(values: values.map { _ in .nan }) == nil)
    }

    @Test func distancesAreScaledPerDimension() throws {
        // Dimension 0 varies by 100s, dimension 1 by 1s: after scaling both count alike.
        func vector(_ first: Float, _ second: Float) -> SimilarityVector? {
            SimilarityVector(values: [first, second] + [Float](repeating: 0, count: SimilarityVector.dimensions - 2))
        }
        let a = try #require(vector(0, 0)), b = try #require(vector(100, 0)), c = try #require(vector(0, 1)), d = try #require(vector(100, 1))
        let space = SimilaritySpace([a, b, c, d])
        #expect(abs(space.distance(a, b) - space.distance(a, c)) < 1e-4)
        #expect(space.distance(a, a) == 0)
    }
}
