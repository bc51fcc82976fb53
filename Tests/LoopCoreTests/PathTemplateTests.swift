import LoopCore
import Testing

@Suite struct PathTemplateTests {
    let template = try! PathTemplate("{artist}/{song}/{track}/{version}.{ext}")

    @Test func pathsThatFitGiveTheTakesFields() {
        #expect(template.take(relativePath: "DJ Evan/Third Room/Bass/v2.wav") == TakeFields(artist: "DJ Evan", song: "Third Room", track: "Bass", version: "v2"))
        // A dot inside a version is part of it; the extension is the last one.
        #expect(template.take(relativePath: "A/B/C/take.1.flac")?.version == "take.1")
        #expect(template.take(relativePath: "DJ Evan/Third Room/v2.wav") == nil, "too few folders")
        #expect(template.take(relativePath: "x/DJ Evan/Third Room/Bass/v2.wav") == nil, "too many folders")
        let literal = try? PathTemplate("Takes/{song}_{version}.{ext}")
        #expect(literal?.take(relativePath: "Takes/Intro_v3.wav") == TakeFields(song: "Intro", version: "v3"))
        #expect(literal?.take(relativePath: "Other/Intro_v3.wav") == nil)
    }

    @Test func fieldsGiveThePathAndUnsafeValuesAreRefused() throws {
        let take = TakeFields(artist: "DJ Evan", song: "Third Room", track: "Bass", version: "v4")
        #expect(try template.relativePath(for: take, fileExtension: "wav") == "DJ Evan/Third Room/Bass/v4.wav")
        #expect(throws: PathTemplateError.missingValue(template: template.description, field: "track")) {
            try template.relativePath(for: TakeFields(artist: "A", song: "B", version: "v1"), fileExtension: "wav")
        }
        #expect(throws: PathTemplateError.unsafeValue(field: "song", value: "../etc")) {
            try template.relativePath(for: TakeFields(artist: "A", song: "../etc", track: "T", version: "v1"), fileExtension: "wav")
        }
        #expect(throws: PathTemplateError.unsafeValue(field: "track", value: "..")) {
            try template.relativePath(for: TakeFields(artist: "A", song: "B", track: "..", version: "v1"), fileExtension: "wav")
        }
    }

    @Test func badTemplatesAreRefusedWithTheReason() {
        #expect(throws: PathTemplateError.unknownField(template: "{band}/{song}.{ext}", field: "band")) { try PathTemplate("{band}/{song}.{ext}") }
        #expect(throws: PathTemplateError.missingSong(template: "{artist}/{track}.{ext}")) { try PathTemplate("{artist}/{track}.{ext}") }
        #expect(throws: PathTemplateError.adjacentFields(template: "{song}{version}.{ext}")) { try PathTemplate("{song}{version}.{ext}") }
        #expect(throws: PathTemplateError.unclosedBrace(template: "{song")) { try PathTemplate("{song") }
        #expect(throws: PathTemplateError.absolute(template: "/{song}.{ext}")) { try PathTemplate("/{song}.{ext}") }
    }
}
