import LoopCore
import Testing

/// Queries come from any user: their size is bounded before any stage walks them.
@Suite struct QueryLimitTests {
    let parser = LibraryQueryParser()

    @Test func nestingIsBoundedWithAClearError() throws {
        let deepest = String(repeating: "(", count: LibraryQueryParser.maxDepth) + "kick" + String(repeating: ")", count: LibraryQueryParser.maxDepth)
        #expect(try parser.parse(deepest) == .text("kick", phrase: false))
        let tooDeep = "(" + deepest + ")"
        #expect(throws: QueryError("The query nests parentheses and NOTs more than \(LibraryQueryParser.maxDepth) deep.")) { try parser.parse(tooDeep) }
        let nots = String(repeating: "NOT ", count: LibraryQueryParser.maxDepth + 1) + "kick"
        #expect(throws: QueryError.self) { try parser.parse(nots) }
        // What crashed loopd: 17,000 levels, on a stack that holds about 16,000.
        let hostile = String(repeating: "(", count: 17000) + "kick" + String(repeating: ")", count: 17000)
        #expect(throws: QueryError.self) { try parser.parse(hostile) }
    }

    @Test func lengthAndTermsAreBounded() {
        #expect(throws: QueryError.self) { try parser.parse(String(repeating: "NOT ", count: 50000) + "kick") }
        let many = Array(repeating: "a", count: LibraryQueryParser.maxTerms + 1).joined(separator: " ")
        #expect(throws: QueryError("The query has \(LibraryQueryParser.maxTerms + 1) terms; at most \(LibraryQueryParser.maxTerms) are accepted.")) { try parser.parse(many) }
        let enough = Array(repeating: "a", count: LibraryQueryParser.maxTerms).joined(separator: " ")
        #expect((try? parser.parse(enough)) != nil)
    }

    @Test(arguments: ["nan", "-nan", "inf", "-infinity", "nan..120", "<nan", ">=inf", "1..nan"])
    func nonFiniteNumbersAreNotRanges(text: String) {
        #expect(NumericRange(parsing: text) == nil, "\(text)")
    }
}
