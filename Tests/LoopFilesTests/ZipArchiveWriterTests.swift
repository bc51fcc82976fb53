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
        let (status, text) = try python(script, archive)
        #expect(status == 0)
        #expect(text == "Kick.wav,Kick (2).wav\n70000 second\n")
    }

    /// Past 65,535 entries the count lives in the ZIP64 end records; another reader finds every entry.
    @Test func moreEntriesThanPlainZipCounts() throws {
        let folder = TemporaryDirectory()
        let source = folder.path + "/s.wav"
        try Data("x".utf8).write(to: URL(fileURLWithPath: source))
        let archive = folder.path + "/many.zip"
        let writer = try ZipArchiveWriter(path: archive, replace: false)
        let count = 65_600
        for index in 0..<count { try writer.add(file: source, as: "s/\(index).wav", expectedHash: nil) }
        try writer.finish(replace: false)
        let (status, text) = try python("""
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            names = z.namelist()
            assert z.testzip() is None
            print(len(names), names[0], names[-1], z.read("s/65599.wav").decode())
            """, archive)
        #expect(status == 0)
        #expect(text == "\(count) s/0.wav s/65599.wav x\n")
    }

    /// An entry past 4 GiB, and one that starts past 4 GiB, carry their sizes and offset in ZIP64 fields.
    @Test func anArchivePastFourGigabytes() throws {
        let folder = TemporaryDirectory()
        // Sparse: the disk holds only the archive's copy.
        let large = folder.path + "/large.wav", small = folder.path + "/small.wav"
        let size: Int64 = (1 << 32) + 4096
        #expect(FileManager.default.createFile(atPath: large, contents: nil) && truncate(large, off_t(size)) == 0)
        try Data("after".utf8).write(to: URL(fileURLWithPath: small))
        let archive = folder.path + "/large.zip"
        let writer = try ZipArchiveWriter(path: archive, replace: false)
        try writer.add(file: small, as: "before.wav", expectedHash: nil)
        try writer.add(file: large, as: "large.wav", expectedHash: nil)
        try writer.add(file: small, as: "after.wav", expectedHash: ContentHasher.sha256(path: small))
        try writer.finish(replace: false)
        // zipfile checks the large entry's CRC over all its bytes, and finds the last one past 4 GiB.
        let (status, text) = try python("""
            import sys, zipfile, zlib
            z = zipfile.ZipFile(sys.argv[1])
            info = {i.filename: i for i in z.infolist()}
            crc = 0
            with z.open("large.wav") as f:
                while chunk := f.read(1 << 24):
                    crc = zlib.crc32(chunk, crc)
            assert crc == info["large.wav"].CRC
            print(info["large.wav"].file_size, info["after.wav"].header_offset > 2**32, z.read("after.wav").decode(), z.read("before.wav").decode())
            """, archive)
        #expect(status == 0)
        #expect(text == "\(size) True after after\n")
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

    /// Runs a Python script (an independent ZIP reader) on the archive; its status and output.
    private func python(_ script: String, _ archive: String) throws -> (Int32, String) {
        try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, archive])
    }
}
