import LoopAPI
@testable import LoopWeb
import Testing

@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-99", ByteRange.part(0...99)),
        ("bytes=100-", .part(100...999)),
        ("bytes=-10", .part(990...999)),
        ("bytes=-5000", .part(0...999)),
        ("bytes=990-5000", .part(990...999)),
        ("BYTES=1-1", .part(1...1)),
        ("bytes=1000-", .unsatisfiable),
        ("bytes=1000-2000", .unsatisfiable),
        ("bytes=99999999999999999999999-", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-3", .whole),
        ("bytes=a-b", .whole),
        ("bytes=-", .whole),
        ("bytes=0-1,4-5", .whole),
        ("items=0-1", .whole),
        ("bytes=0x-1", .whole),
    ])
    func rangesOfAThousandBytes(header: String, expected: ByteRange) {
        #expect(ByteRange.resolve(header, size: 1000) == expected, "\(header)")
    }

    @Test func anEmptyFileHasNoRange() {
        #expect(ByteRange.resolve("bytes=0-", size: 0) == .unsatisfiable)
        #expect(ByteRange.resolve("bytes=-1", size: 0) == .unsatisfiable)
        #expect(ByteRange.resolve(nil, size: 0) == .whole)
    }

    @Test func sortNamesFollowFreesound() throws {
        #expect(try SoundRoutes.sort("score") == (.relevance, false))
        #expect(try SoundRoutes.sort("duration_desc") == (.duration, true))
        #expect(try SoundRoutes.sort("created_asc") == (.added, false))
        #expect(try SoundRoutes.sort(nil) == (nil, false))
        #expect(throws: APIError.self) { try SoundRoutes.sort("relevance_desc") }
        #expect(throws: APIError.self) { try SoundRoutes.sort("loudest") }
    }

    @Test func theFileNameTravelsExactlyAndSafely() {
        let header = SoundRoutes.disposition(name: "Kick \"hard\" ☃.wav")
        #expect(header == "attachment; filename=\"Kick _hard_ _.wav\"; filename*=UTF-8''Kick%20%22hard%22%20%E2%98%83.wav")
    }

    @Test func entityTagsCompareWeakly() {
        #expect(EntityTag.matches("\"a\", W/\"b\"", "\"b\""))
        #expect(EntityTag.matches("*", "\"x\""))
        #expect(!EntityTag.matches("\"c\"", "\"b\""))
    }
}
