import Foundation
import LoopFiles
import LoopTestSupport
import Testing

@Suite struct ZipArchiveWriterTests {
    @Test func anArchiveOpensWithAnotherZipReaderAndHoldsTheExactBytes() throws {
        let folder = TemporaryDirectory()
        let first = folder.path + "/a.wav", second = folder.path + "/b.wav"
        let firstBytes = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        try firstBytes.write(to: URL(fileURLWithPath: first))
        try Data("second".utf8).write(to: URL(fileURLWithPath: second))
        let archive = folder.path + "/out.zip"
        let writer = try ZipArchiveWriter(path: archive, replace: false)
        try writer.add(file: first, as: "Kick.wav", expectedHash: ContentHasher.sha256(path: first))
        // A second entry with the same name gets a distinct one.
        #expect(try writer.add(file: second, as: "Kick.wav", expectedHash: nil) == "Kick (2).wav")
        try writer.finish(replace: false)

        // Python's zipfile checks every CRC and reads the entries back.
        let script = """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(",".join(z.namelist()))
            print(len(z.read("Kick.wav")), z.read("Kick (2).wav").decode())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, archive]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text == "Kick.wav,Kick (2).wav\n70000 second\n")
    }

    @Test func aWrongHashAbortsTheArchiveAndLeavesNothingBehind() throws {
        let folder = TemporaryDirectory()
        let file = folder.path + "/a.wav"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        let archive = folder.path + "/out.zip"
        do {
            let writer = try ZipArchiveWriter(path: archive, replace: false)
            #expect(throws: VerifiedCopyError.self) { try writer.add(file: file, as: "a.wav", expectedHash: String(repeating: "0", count: 64)) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.wav"])
    }

    @Test func aVerifiedCopyNeverReplacesWithoutBeingAskedAndCatchesChangedBytes() throws {
        let folder = TemporaryDirectory()
        let source = folder.path + "/s.wav", target = folder.path + "/t.wav"
        try Data("original".utf8).write(to: URL(fileURLWithPath: source))
        let hash = try ContentHasher.sha256(path: source)
        let outcome = try VerifiedCopy.copy(from: source, to: target, expectedHash: hash)
        #expect(outcome.bytes == 8)
        #expect(throws: VerifiedCopyError.destinationExists(path: target)) { try VerifiedCopy.copy(from: source, to: target, expectedHash: hash) }
        try Data("damaged!".utf8).write(to: URL(fileURLWithPath: source))
        #expect {
            try VerifiedCopy.copy(from: source, to: target, expectedHash: hash, replace: true)
        } throws: { error in
            if case .contentMismatch = error as? VerifiedCopyError { return true }
            return false
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "original")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["s.wav", "t.wav"])
    }
}
