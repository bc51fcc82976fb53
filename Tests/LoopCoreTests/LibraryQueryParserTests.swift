import LoopCore
import Testing

@Suite struct LibraryQueryParserTests {
    let parser = LibraryQueryParser()

    @Test func wordsFieldsAndImplicitAnd() throws {
        #expect(try parser.parse("") == .all)
        #expect(try parser.parse("kick") == .text("kick", phrase: false))
        #expect(try parser.parse("dark kick bpm:120..128 key:Am") == .and([
            .text("dark", phrase: false), .text("kick", phrase: false), .field(.bpm, "120..128"), .field(.key, "Am"),
        ]))
        #expect(try parser.parse("\"dark pad\" in:\"My Cart\"") == .and([.text("dark pad", phrase: true), .field(.in, "My Cart")]))
        #expect(try parser.parse("Duration:<2 LUFS:>-14") == .and([.field(.dur, "<2"), .field(.lufs, ">-14")]), "field names ignore case and have aliases")
        #expect(try parser.parse("kick AND snare") == .and([.text("kick", phrase: false), .text("snare", phrase: false)]))
    }

    @Test func negationOrAndGroups() throws {
        #expect(try parser.parse("-tag:vocal") == .not(.field(.tag, "vocal")))
        #expect(try parser.parse("NOT kick") == .not(.text("kick", phrase: false)))
        #expect(try parser.parse("kick OR snare hat") == .or([.text("kick", phrase: false), .and([.text("snare", phrase: false), .text("hat", phrase: false)])]))
        #expect(try parser.parse("(kick OR snare) -808") == .and([.or([.text("kick", phrase: false), .text("snare", phrase: false)]), .not(.text("808", phrase: false))]))
        #expect(try parser.parse("lufs:>-14") == .field(.lufs, ">-14"), "a minus inside a value is not a negation")
        #expect(try parser.parse("hi-hat") == .text("hi-hat", phrase: false), "nor inside a word")
        #expect(try parser.parse("http://x") == .text("http://x", phrase: false), "an unknown field name is a word")
    }

    @Test(arguments: ["(kick", "kick)", "OR kick", "kick OR", "\"open", "bpm:", "()", "NOT"])
    func malformedQueriesSayWhy(_ text: String) {
        #expect(throws: QueryError.self) { try parser.parse(text) }
    }

    @Test func camelotCodesAndCompatibleKeys() throws {
        let aMinor = try #require(MusicalKey(parsing: "Am"))
        #expect(MusicalKey(camelot: "8A") == aMinor && MusicalKey(camelot: "8b") == MusicalKey(parsing: "C"))
        #expect(MusicalKey(camelot: "13A") == nil && MusicalKey(camelot: "A") == nil)
        #expect(Set(aMinor.compatibleKeys.map(\.camelot)) == ["8A", "8B", "9A", "7A"])
        #expect(Set(try #require(MusicalKey(camelot: "12A")).compatibleKeys.map(\.camelot)) == ["12A", "12B", "1A", "11A"], "the wheel wraps")
    }

    @Test func synonymsGoBothWays() {
        #expect(QuerySynonyms.expand("BD").contains("kick"))
        #expect(QuerySynonyms.expand("kick").contains("bd"))
        #expect(QuerySynonyms.expand("pad") == ["pad"])
    }
}
