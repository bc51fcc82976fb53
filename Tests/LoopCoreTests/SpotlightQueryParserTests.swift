import LoopCore
import Testing

/// The query strings Samba 4.17's mdssvc sends (from its own parser tests,
/// `test_mdsparser_es.c`), as they arrive after JSON decoding.
@Suite struct SpotlightQueryParserTests {
    let parser = SpotlightQueryParser()
    static let scope = #" AND path.real.fulltext:"/foo/bar""#
    let inScope = SpotlightQuery.term(field: "path.real.fulltext", SpotlightTerm("/foo/bar", phrase: true))

    func parsed(_ query: String) throws -> SpotlightQuery {
        try parser.parse(query + Self.scope)
    }

    func scoped(_ query: SpotlightQuery) -> SpotlightQuery {
        .and([query, inScope])
    }

    @Test func namesWildcardsAndFreeText() throws {
        #expect(try parsed("(samba)") == scoped(.term(field: nil, SpotlightTerm("samba"))))
        #expect(try parsed("(content:samba)") == scoped(.term(field: "content", SpotlightTerm("samba"))))
        #expect(try parsed("(file.filename:samba*)") == scoped(.term(field: "file.filename", SpotlightTerm(parts: [.text("samba"), .anyRun]))))
        #expect(try parsed("(file.filename:*kick?)") == scoped(.term(field: "file.filename", SpotlightTerm(parts: [.anyRun, .text("kick"), .anyOne]))))
        #expect(try parsed(#"(meta.raw.xmpDM\:album:Red\ Roses\ for\ Me)"#) == scoped(.term(field: "meta.raw.xmpDM:album", SpotlightTerm("Red Roses for Me"))))
        #expect(try parsed(#"(path.real:\/foo\/bar)"#) == scoped(.term(field: "path.real", SpotlightTerm("/foo/bar"))))
        #expect(try parsed(#"(file.filename:kick\*)"#) == scoped(.term(field: "file.filename", SpotlightTerm("kick*"))), "an escaped star is literal")
    }

    @Test func typesAsListsOfMimeTypes() throws {
        #expect(try parsed(#"(file.content_type:(application\/pdf))"#) == scoped(.anyOf(field: "file.content_type", [SpotlightTerm("application/pdf")])))
        let list = try parsed(#"(file.content_type:(message\/rfc822 application\/pdf image\/* text\/*))"#)
        #expect(list == scoped(.anyOf(field: "file.content_type", [
            SpotlightTerm("message/rfc822"), SpotlightTerm("application/pdf"),
            SpotlightTerm(parts: [.text("image/"), .anyRun]), SpotlightTerm(parts: [.text("text/"), .anyRun]),
        ])))
    }

    @Test func datesNumbersAndRanges() throws {
        #expect(try parsed(#"(file.last_modified:2018\-10\-01T10\:00\:00Z)"#) == scoped(.term(field: "file.last_modified", SpotlightTerm("2018-10-01T10:00:00Z"))))
        #expect(try parsed(#"(meta.raw.xmpDM\:duration:1)"#) == scoped(.term(field: "meta.raw.xmpDM:duration", SpotlightTerm("1"))))
        #expect(try parsed("(file.filesize:{1 TO *})") == scoped(.range(field: "file.filesize", lower: "1", upper: nil, includesLower: false, includesUpper: false)))
        #expect(try parsed("(file.filesize:{* TO 1})") == scoped(.range(field: "file.filesize", lower: nil, upper: "1", includesLower: false, includesUpper: false)))
        #expect(try parsed("(file.filesize:[1 TO 2])") == scoped(.range(field: "file.filesize", lower: "1", upper: "2", includesLower: true, includesUpper: true)))
        #expect(try parsed(#"(file.created:[2001\-01\-01T00\:00\:01Z TO 2001\-01\-01T00\:00\:02Z])"#)
            == scoped(.range(field: "file.created", lower: "2001-01-01T00:00:01Z", upper: "2001-01-01T00:00:02Z", includesLower: true, includesUpper: true)))
        #expect(try parsed(#"(file.created:{2001\-01\-01T00\:00\:01Z TO *})"#)
            == scoped(.range(field: "file.created", lower: "2001-01-01T00:00:01Z", upper: nil, includesLower: false, includesUpper: false)))
    }

    @Test func booleanOperators() throws {
        #expect(try parsed("((NOT samba))") == scoped(.not(.term(field: nil, SpotlightTerm("samba")))))
        #expect(try parsed("((NOT file.filesize:1))") == scoped(.not(.term(field: "file.filesize", SpotlightTerm("1")))))
        #expect(try parsed("(file.filename:Samba OR content:Samba)")
            == scoped(.or([.term(field: "file.filename", SpotlightTerm("Samba")), .term(field: "content", SpotlightTerm("Samba"))])))
        #expect(try parsed("((file.filename:Samba) AND (content:Samba))")
            == scoped(.and([.term(field: "file.filename", SpotlightTerm("Samba")), .term(field: "content", SpotlightTerm("Samba"))])))
        // AND binds tighter than OR; terms side by side are alternatives.
        #expect(try parser.parse("a OR b AND c") == .or([.term(field: nil, SpotlightTerm("a")), .and([.term(field: nil, SpotlightTerm("b")), .term(field: nil, SpotlightTerm("c"))])]))
        #expect(try parser.parse("a b") == .or([.term(field: nil, SpotlightTerm("a")), .term(field: nil, SpotlightTerm("b"))]))
    }

    @Test func malformedQueriesAreErrorsNotCrashes() {
        for bad in ["", "(", "(a", "a)", "field:", "x:[1 TO", "x:[1 2]", "\"open", "a\\", ":x", "x:(a AND b)", String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)] {
            #expect(throws: SpotlightQueryError.self, "\(bad)") { try parser.parse(bad) }
        }
    }
}
