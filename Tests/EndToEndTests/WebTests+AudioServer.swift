import Foundation
import LoopSynth
import LoopTestSupport
import Testing

/// The AudioServer-style routes: files by name (never by path), among those the account may read.
extension WebTests {
    @Test func audioServerRoutesNameFilesByTheirNameOnly() throws {
        let name = "Dark%20Pad%20%E2%98%83%20120.wav"
        let info = try curl("/api/v1/info?name=" + name, token: token)
        #expect(info.status == 200 && (info.json?["id"] as? NSNumber)?.int64Value == id, "\(info.text)")
        let download = try curl("/api/v1/download?name=" + name, token: token)
        #expect(download.status == 200 && download.body == bytes)
        #expect(try curl("/api/v1/download?name=" + name).status == 401)
        let short = try curl("/api/v1/list?maxduration=2", token: token)
        #expect((short.json?["results"] as? [[String: Any]])?.contains { ($0["id"] as? NSNumber)?.int64Value == id } == true, "\(short.text)")
        #expect((try curl("/api/v1/list?maxduration=0.5", token: token).json?["results"] as? [[String: Any]])?.isEmpty == true)
        #expect(try curl("/api/v1/list?maxduration=abc", token: token).status == 400)
        for bad in ["", "?name=", "?name=..%2F..%2Fetc%2Fpasswd", "?name=Loops%2FDark.wav"] {
            #expect(try curl("/api/v1/info" + bad, token: token).status == 400, "\(bad)")
        }
        #expect(try curl("/api/v1/info?name=Nothing.wav", token: token).status == 404)

        // Uploaded by form, then two files of one name: ambiguous until one goes.
        let file = try writeUpload("same.wav", frequency: 700)
        let uploaded = try curl("/api/v1/upload", token: writerToken, method: "POST", extra: ["-F", "folder=Elsewhere", "-F", "file=@\(file.path);filename=Dark Pad ☃ 120.wav"])
        #expect(uploaded.status == 201, "\(uploaded.text)")
        let twice = try curl("/api/v1/info?name=" + name, token: token)
        #expect(twice.status == 409 && twice.text.contains("ids"), "\(twice.text)")
        #expect(try curl("/api/v1/delete?name=" + name, token: token, method: "DELETE").status == 409, "ambiguous: nothing deleted")
        let otherID = try #require(((uploaded.json?["results"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value)
        #expect(try curl("/api/v1/sounds/\(otherID)", token: writerToken, method: "DELETE").status == 200)
        #expect(try curl("/api/v1/delete?name=" + name, token: token, method: "DELETE").status == 403, "a reader may not delete")
        #expect(try curl("/api/v1/delete?name=" + name, token: writerToken, method: "DELETE").status == 200)
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/Loops/Dark Pad ☃ 120.wav"))
    }
}
