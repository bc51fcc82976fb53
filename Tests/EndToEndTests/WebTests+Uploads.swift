import Foundation
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// Uploads as forms (multipart) and in pieces (resumable sessions).
extension WebTests {
    func writeUpload(_ name: String, frequency: Double, seconds: Double = 0.5) throws -> (path: String, hash: String, bytes: Data) {
        let path = daemon.folder.path + "/" + name
        try SignalWriter.write(path: path, kind: .wav16, signal: .sine(frequency: frequency, amplitude: 0.3), duration: seconds, sampleRate: 44100, channels: 1)
        return (path, try ContentHasher.sha256(path: path), try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// What is left in the roots' staging folder (nothing, once every upload ended).
    var staged: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: daemon.library + "/.openloop-uploads")) ?? []
    }

    @Test func aFormUploadPlacesEachFileAndRefusesMalformedBodies() throws {
        let one = try writeUpload("form one.wav", frequency: 300)
        let two = try writeUpload("form two.wav", frequency: 600)
        let form = ["-F", "folder=Form Drops", "-F", "file=@\(one.path);filename=Snap One.wav", "-F", "file=@\(two.path);filename=Sub Folder/Snap Two.wav"]
        #expect(try curl("/api/v1/uploads", token: token, method: "POST", extra: form).status == 403, "a reader may not upload")
        let reply = try curl("/api/v1/uploads", token: writerToken, method: "POST", extra: form)
        #expect(reply.status == 201 && reply.json?["count"] as? Int == 2, "\(reply.text)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.library + "/Form Drops/Snap One.wav")) == one.bytes)
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.library + "/Form Drops/Sub Folder/Snap Two.wav")) == two.bytes)
        let hashes = (reply.json?["results"] as? [[String: Any]])?.compactMap { $0["hash"] as? String }
        #expect(hashes == [one.hash, two.hash])

        // The same again: each file refused as already there, in the library's own terms.
        let again = try curl("/api/v1/uploads", token: writerToken, method: "POST", extra: form)
        #expect(again.status == 409 && !again.text.contains(daemon.library), "\(again.text)")

        // Malformed bodies: cut short, no boundary, an unknown field, a field too long, a part without a name.
        let boundary = "XyZ123"
        let part = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Cut.wav\"\r\n\r\n" + String(repeating: "a", count: 5000)
        let bodies: [(String, String)] = [
            (part, "multipart/form-data; boundary=\(boundary)"),
            (part + "\r\n--\(boundary)--\r\n", "multipart/form-data"),
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"evil\"\r\n\r\nx\r\n--\(boundary)--\r\n", "multipart/form-data; boundary=\(boundary)"),
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"folder\"\r\n\r\n" + String(repeating: "f", count: 5000) + "\r\n--\(boundary)--\r\n", "multipart/form-data; boundary=\(boundary)"),
            ("--\(boundary)\r\nContent-Disposition: form-data\r\n\r\nx\r\n--\(boundary)--\r\n", "multipart/form-data; boundary=\(boundary)"),
            ("--\(boundary)\r\n" + String(repeating: "X-Junk: y\r\n", count: 8000), "multipart/form-data; boundary=\(boundary)"),
        ]
        for (index, (body, type)) in bodies.enumerated() {
            let file = daemon.folder.path + "/body\(index).bin"
            try Data(body.utf8).write(to: URL(fileURLWithPath: file))
            let bad = try curl("/api/v1/uploads", token: writerToken, headers: ["Content-Type: " + type], method: "POST", upload: file)
            #expect(bad.status == 400 && bad.json?["detail"] is String, "body \(index): \(bad.status) \(bad.text)")
        }
        #expect(try curl("/api/v1/uploads", token: writerToken, headers: ["Content-Type: text/plain"], method: "POST", upload: one.path).status == 415)
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/Cut.wav"))
        #expect(staged.isEmpty, "nothing half-written is left: \(staged)")
    }

    @Test func aResumableUploadContinuesWhereItStoppedAndIsChecked() throws {
        let file = try writeUpload("long take.wav", frequency: 220, seconds: 3)
        let size = file.bytes.count
        let announce = "{\"name\":\"Long Take.wav\",\"folder\":\"Pieces\",\"size\":\(size),\"sha256\":\"\(file.hash)\"}"
        #expect(try curl("/api/v1/uploads/sessions", token: token, method: "POST", json: announce).status == 403)
        #expect(try curl("/api/v1/uploads/sessions", token: writerToken, method: "POST", json: "{\"name\":\"a.wav\",\"size\":10,\"sha256\":\"zz\"}").status == 400)
        #expect(try curl("/api/v1/uploads/sessions", token: writerToken, method: "POST", json: "{\"name\":\"a.wav\",\"size\":5000000,\"sha256\":\"\(file.hash)\"}").status == 413)
        let started = try curl("/api/v1/uploads/sessions", token: writerToken, method: "POST", json: announce)
        #expect(started.status == 201 && started.json?["offset"] as? Int == 0, "\(started.text)")
        let id = try #require(started.json?["id"] as? String)
        let url = "/api/v1/uploads/sessions/" + id

        // A connection that drops part-way (curl gives up after a second at 20 kB/s) keeps what arrived.
        let dropped = try ChildProcess.run("/usr/bin/curl", [
            "-s", "-X", "PATCH", "-H", "Authorization: Bearer " + writerToken, "-H", "Upload-Offset: 0", "--limit-rate", "20k", "-m", "1",
            "--data-binary", "@" + file.path, base + url,
        ])
        #expect(dropped.status != 0, "curl was cut off")
        let head = try curl(url, token: writerToken, method: "HEAD")
        let offset = try #require(Int(head.headers["upload-offset"] ?? ""))
        #expect(head.status == 200 && offset > 0 && offset < size, "\(head.status) \(offset)")
        #expect(try curl(url, token: token).status == 404, "another account's upload is not found")
        #expect(try curl("/api/v1/uploads/sessions/..%2F..%2Fetc", token: writerToken).status == 404)

        // The rest: from the wrong place is 409 with the right place; past the size is 413.
        let rest = daemon.folder.path + "/rest.bin"
        try file.bytes.dropFirst(offset).write(to: URL(fileURLWithPath: rest))
        let wrongPlace = try curl(url, token: writerToken, headers: ["Upload-Offset: 0"], method: "PATCH", upload: file.path)
        #expect(wrongPlace.status == 409 && wrongPlace.headers["upload-offset"] == String(offset), "\(wrongPlace.text)")
        let tooMuch = daemon.folder.path + "/too much.bin"
        try (file.bytes.dropFirst(offset) + Data(count: 10)).write(to: URL(fileURLWithPath: tooMuch))
        #expect(try curl(url, token: writerToken, headers: ["Upload-Offset: \(offset)"], method: "PATCH", upload: tooMuch).status == 413)
        let done = try curl(url, token: writerToken, headers: ["Upload-Offset: \(offset)"], method: "PATCH", upload: rest)
        #expect(done.status == 201 && done.json?["hash"] as? String == file.hash, "\(done.text)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: daemon.library + "/Pieces/Long Take.wav")) == file.bytes)
        #expect(try curl(url, token: writerToken, method: "HEAD").status == 404, "a finished upload is gone")

        // Bytes that do not match the announced SHA-256 are not kept.
        let liar = try curl("/api/v1/uploads/sessions", token: writerToken, method: "POST",
                            json: "{\"name\":\"Liar.wav\",\"size\":\(size),\"sha256\":\"\(String(repeating: "0", count: 64))\"}")
        let liarURL = "/api/v1/uploads/sessions/" + (try #require(liar.json?["id"] as? String))
        let refused = try curl(liarURL, token: writerToken, headers: ["Upload-Offset: 0"], method: "PATCH", upload: file.path)
        #expect(refused.status == 400 && refused.text.contains("nothing was kept"), "\(refused.text)")
        // Cancelled: gone.
        let cancelled = try curl("/api/v1/uploads/sessions", token: writerToken, method: "POST", json: announce.replacingOccurrences(of: "Long Take", with: "Other"))
        let cancelledURL = "/api/v1/uploads/sessions/" + (try #require(cancelled.json?["id"] as? String))
        #expect(try curl(cancelledURL, token: writerToken, method: "DELETE").status == 204)
        #expect(try curl(cancelledURL, token: writerToken).status == 404)
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/Liar.wav"))
        #expect(staged.isEmpty, "\(staged)")
    }
}

extension WebTests {
    @Test func anAccountsUploadsStayWithinItsQuota() throws {
        web?.terminate()
        try startWeb(["--quota-bytes", "100000"])
        var ids: [Int64] = []
        for index in 0..<2 {
            let file = try writeUpload("quota \(index).wav", frequency: 200 + Double(index) * 50)
            let reply = try curl("/api/v1/uploads?name=Quota%20\(index).wav&folder=Quota", token: writerToken, method: "PUT", upload: file.path)
            #expect(reply.status == 201, "\(reply.text)")
            ids.append(try #require((reply.json?["id"] as? NSNumber)?.int64Value))
        }
        // Two of about 44 kB each: a third would pass 100 kB, whichever way it comes.
        let third = try writeUpload("quota 2.wav", frequency: 330)
        let refused = try curl("/api/v1/uploads?name=Quota%202.wav&folder=Quota", token: writerToken, method: "PUT", upload: third.path)
        #expect(refused.status == 413 && refused.text.contains("quota"), "\(refused.text)")
        let form = try curl("/api/v1/uploads", token: writerToken, method: "POST", extra: ["-F", "folder=Quota", "-F", "file=@\(third.path);filename=Form.wav"])
        #expect(form.status == 413 && form.text.contains("quota"), "\(form.text)")
        let session = try curl("/api/v1/uploads/sessions", token: writerToken, method: "POST",
                               json: "{\"name\":\"Big.wav\",\"folder\":\"Quota\",\"size\":\(third.bytes.count),\"sha256\":\"\(third.hash)\"}")
        #expect(session.status == 413, "\(session.text)")
        #expect(!FileManager.default.fileExists(atPath: daemon.library + "/Quota/Quota 2.wav") && !FileManager.default.fileExists(atPath: daemon.library + "/Quota/Form.wav"))
        #expect(staged.isEmpty, "\(staged)")
        // Deleting an upload makes room again.
        #expect(try curl("/api/v1/sounds/\(ids[0])", token: writerToken, method: "DELETE").status == 200)
        let again = try curl("/api/v1/uploads?name=Quota%202.wav&folder=Quota", token: writerToken, method: "PUT", upload: third.path)
        #expect(again.status == 201, "\(again.text)")
    }
}
