import Foundation
import LoopSynth
import LoopTestSupport
import Testing

/// Previews, peaks, similar sounds and deleting to the trash over the web.
extension WebTests {
    /// An AIFF in the library, indexed; its id.
    func addAIFF() throws -> (id: Int64, path: String) {
        let path = daemon.folder.file("library/Keys/Organ Stab.aiff")
        try SignalWriter.write(path: path, kind: .aiff16, signal: .sine(frequency: 330, amplitude: 0.5), duration: 0.7, sampleRate: 44100, channels: 2)
        try daemon.sync()
        let found = try curl("/api/v1/sounds?q=organ", token: token)
        let id = try #require(((found.json?["results"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value)
        return (id, path)
    }

    /// The 16-bit samples of an AIFF's SSND chunk, as little-endian bytes.
    static func aiffSamples(_ data: Data) throws -> Data {
        let bytes = [UInt8](data)
        var position = 12
        while position + 8 <= bytes.count {
            let id = String(decoding: bytes[position..<position + 4], as: UTF8.self)
            let length = bytes[position + 4..<position + 8].reduce(0) { $0 << 8 | Int($1) }
            if id == "SSND" {
                let start = position + 16
                var swapped = [UInt8](bytes[start..<position + 8 + length])
                for index in stride(from: 0, to: swapped.count - 1, by: 2) { swapped.swapAt(index, index + 1) }
                return Data(swapped)
            }
            position += 8 + length + (length & 1)
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    @Test func aPreviewIsTheOriginalOrAWAVDecodedWhileSentAndSeekable() throws {
        let wav = try curl("/api/v1/sounds/\(id)/preview", token: token)
        #expect(wav.status == 200 && wav.body == bytes && wav.headers["content-type"] == "audio/wav", "a WAV is previewed as it is")
        let (aiffID, aiffPath) = try addAIFF()
        let whole = try curl("/api/v1/sounds/\(aiffID)/preview", token: token)
        #expect(whole.status == 200 && whole.headers["content-type"] == "audio/wav", "\(whole.status) \(whole.text.prefix(200))")
        #expect(whole.body.prefix(4) == Data("RIFF".utf8) && whole.body.count == 44 + 30870 * 4, "\(whole.body.count)")
        #expect(whole.body.dropFirst(44) == (try Self.aiffSamples(Data(contentsOf: URL(fileURLWithPath: aiffPath)))), "the samples are the AIFF's")
        #expect(Int(whole.headers["content-length"] ?? "") == whole.body.count)
        for range in [(0, 99), (44, 143), (1001, 5002), (whole.body.count - 7, whole.body.count - 1)] {
            let part = try curl("/api/v1/sounds/\(aiffID)/preview", token: token, headers: ["Range: bytes=\(range.0)-\(range.1)"])
            #expect(part.status == 206 && part.body == whole.body[range.0...range.1], "bytes \(range.0)-\(range.1): \(part.status) \(part.body.count)")
        }
        let tail = try curl("/api/v1/sounds/\(aiffID)/preview", token: token, headers: ["Range: bytes=-10"])
        #expect(tail.body == whole.body.suffix(10))
        #expect(try curl("/api/v1/sounds/\(aiffID)/preview", token: token, headers: ["Range: bytes=\(whole.body.count)-"]).status == 416)
        let head = try curl("/api/v1/sounds/\(aiffID)/preview", token: token, method: "HEAD")
        #expect(head.status == 200 && head.headers["content-length"] == String(whole.body.count) && head.headers["etag"]?.hasSuffix("-pcm16\"") == true)
        #expect(try curl("/api/v1/sounds/\(aiffID)/preview").status == 401)
    }

    @Test func peaksComeAsAudiowaveformWritesThem() throws {
        let json = try curl("/api/v1/sounds/\(id)/peaks", token: token)
        #expect(json.status == 200 && json.json?["version"] as? NSNumber == 2 && json.json?["samples_per_pixel"] as? NSNumber == 256, "\(json.text.prefix(200))")
        let length = (json.json?["length"] as? NSNumber)?.intValue ?? 0
        #expect(length == (44100 + 255) / 256 && (json.json?["data"] as? [Any])?.count == length * 2 * 2)
        let coarse = try curl("/api/v1/sounds/\(id)/peaks?samples_per_pixel=1024&format=dat", token: token)
        #expect(coarse.status == 200 && coarse.body.count == 24 + ((44100 + 1023) / 1024) * 2 * 2 * 2, "\(coarse.body.count)")
        #expect(coarse.body.prefix(4) == Data([2, 0, 0, 0]))
        for bad in ["samples_per_pixel=300", "samples_per_pixel=-256", "format=png", "samples_per_pixel=99999999999999999999"] {
            #expect(try curl("/api/v1/sounds/\(id)/peaks?" + bad, token: token).status == 400, "\(bad)")
        }
        let similar = try curl("/api/v1/sounds/\(id)/similar?page_size=5", token: token)
        #expect(similar.status == 200 && similar.json?["results"] is [Any], "\(similar.text.prefix(200))")
    }

    @Test func aDeleteMovesToTheTrashAndARestoreBringsItBack() throws {
        let original = daemon.library + "/Loops/Dark Pad ☃ 120.wav"
        #expect(try curl("/api/v1/sounds/\(id)", token: token, method: "DELETE").status == 403, "a reader does not delete")
        let deleted = try curl("/api/v1/sounds/\(id)", token: writerToken, method: "DELETE")
        #expect(deleted.status == 200, "\(deleted.text)")
        #expect(!FileManager.default.fileExists(atPath: original))
        let trash = try FileManager.default.subpathsOfDirectory(atPath: daemon.library + "/.Trash-openloop").filter { $0.hasSuffix(".wav") }
        #expect(trash.count == 1, "the file is in its root's trash, not unlinked: \(trash)")
        #expect(try curl("/api/v1/sounds/\(id)", token: token).status == 404)
        #expect(try curl("/api/v1/trash", token: token).status == 403)
        let listed = try curl("/api/v1/trash", token: writerToken)
        let item = try #require((listed.json?["results"] as? [[String: Any]])?.first)
        #expect(item["name"] as? String == "Dark Pad ☃ 120.wav" && item["deleted_by"] as? String == "walt" && !listed.text.contains(daemon.library))
        let trashID = try #require((item["id"] as? NSNumber)?.int64Value)
        let restored = try curl("/api/v1/trash/\(trashID)/restore", token: writerToken, method: "POST")
        #expect(restored.status == 200 && restored.json?["name"] as? String == "Dark Pad ☃ 120.wav", "\(restored.text)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: original)) == bytes)
        #expect(try curl("/api/v1/trash/\(trashID)/restore", token: writerToken, method: "POST").status == 404, "restored once")
        #expect(try curl("/api/v1/trash/abc/restore", token: writerToken, method: "POST").status == 400)
    }

    @Test func theTrashIsEmptiedAfterItsTime() throws {
        let deleted = try curl("/api/v1/sounds/\(id)", token: writerToken, method: "DELETE")
        #expect(deleted.status == 200, "\(deleted.text)")
        let folder = daemon.library + "/.Trash-openloop"
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder).contains { $0.hasSuffix(".wav") })
        _ = web?.terminate()
        // Kept no days: the restarted service empties the trash as it starts.
        try startWeb(["--empty-trash-after-days", "0"])
        let logged = web?.standardError.wait(timeout: 20) { $0.joined().contains("Emptied 1 files from the trash") } ?? false
        #expect(logged, "loopweb says it emptied the trash")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder).allSatisfy { !$0.hasSuffix(".wav") }, "the file is gone")
        #expect((try curl("/api/v1/trash", token: writerToken)).json?["count"] as? NSNumber == 0)
    }
}
