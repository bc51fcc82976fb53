import Foundation
import LoopAPI
import LoopSynth
import LoopTestSupport
import Testing

/// Replies of loopd longer than a request may be reach the web whole.
extension WebTests {
    @Test func aCollectionOfManyFilesIsShownAndZipped() throws {
        // 250 files, each with sixty long tags: the collection's reply passes a megabyte (few files,
        // so that the test costs little analysis).
        let count = 250
        let folder = daemon.folder.file("library/Many")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let template = daemon.folder.path + "/template.wav"
        try SignalWriter.write(path: template, kind: .wav16, signal: .sine(frequency: 440, amplitude: 0.3), duration: 0.05, sampleRate: 22050, channels: 1)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: template))
        for index in 0..<count {
            // A byte of difference each: every file is its own sound.
            bytes[bytes.count - 1] = UInt8(truncatingIfNeeded: index)
            bytes[bytes.count - 2] = UInt8(truncatingIfNeeded: index >> 8)
            try bytes.write(to: URL(fileURLWithPath: folder + "/Hit \(index) with a name long enough to take room.wav"))
        }
        try daemon.sync()
        #expect(try curl("/api/v1/collections", token: writerToken, method: "POST", json: #"{"name": "Big"}"#).status == 201)
        let add = #"{"jsonrpc":"2.0","id":1,"method":"collection.add","params":{"name":"Big","files":{"query":"path:many/"}}}"#
        let added = try curl("/api/v1/rpc", token: writerToken, method: "POST", json: add)
        #expect(added.text.contains("\"changed\":\(count)"), "\(added.text)")
        let tags = (0..<60).map { "\"tag \($0) " + String(repeating: "x", count: 50) + "\"" }.joined(separator: ",")
        let tag = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tag\",\"params\":{\"files\":{\"query\":\"path:many/\"},\"remove\":[],\"add\":[" + tags + "]}}"
        let tagged = try curl("/api/v1/rpc", token: writerToken, method: "POST", json: tag)
        #expect(tagged.text.contains("\"files\":\(count)"), "\(tagged.text.prefix(300))")

        let shown = try curl("/api/v1/collections/Big", token: writerToken)
        #expect(shown.status == 200 && shown.body.count > 1 << 20, "\(shown.status), \(shown.body.count) bytes: \(shown.text.prefix(300))")
        #expect((shown.json?["results"] as? [[String: Any]])?.count == count)
        let zip = try curl("/api/v1/collections/Big/zip", token: writerToken)
        #expect(zip.status == 200, "\(zip.text.prefix(300))")
        #expect(zip.headers["content-length"] == String(zip.body.count))
        let archive = daemon.folder.path + "/big.zip"
        try zip.body.write(to: URL(fileURLWithPath: archive))
        let check = try DaemonProcess.run("/usr/bin/env", [
            "python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))", archive,
        ], environment: daemon.environment)
        #expect(check.status == 0 && check.stdout == "\(count)\n", "\(check.stdout) \(check.stderr)")
    }
}
