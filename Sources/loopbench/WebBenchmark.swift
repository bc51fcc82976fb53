import ArgumentParser
import Foundation
import LoopAnalysis
import LoopAPI
import LoopCore
import LoopIndex
import LoopRPC
import LoopSynth

/// loopweb in front of a real loopd on a large index, with curl as the client (one curl keeps its
/// connection between requests, so the figures are the server's, not process starts).
struct WebBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Search, previews, downloads, an upload and a collection ZIP through loopweb, against cp on the same disk.",
        discussion: """
            The index gets --rows rows for empty files (written straight into it, as loopd would store them), \
            plus real audio for previews, downloads and the ZIP, which loopd analyses. Needs curl.
            """
    )

    @Option(help: "Rows in the index (empty files).")
    var rows = 1_000_000

    @Option(help: "Searches timed (one connection).")
    var searches = 500

    @Option(help: "Concurrent downloads of one file.")
    var downloads = 200

    @Option(help: "Bytes of the downloaded file.")
    var downloadBytes = 10 << 20

    @Option(help: "Bytes of the uploaded file.")
    var uploadBytes: Int64 = 1 << 30

    @Option(help: "Files in the collection sent as a ZIP.")
    var zipFiles = 1000

    @Flag(help: "Run loopd with [access] visibility = \"everyone\" (no per-file read checks).")
    var everyoneReads = false

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var rows: Int
        var everyoneReads: Bool
        var searchMs: Percentiles
        var searchConcurrentMs: Percentiles
        var previewFirstByteMs: [String: Percentiles]
        var downloads: Int
        var downloadErrors: Int
        var downloadSeconds: Double
        var uploadMegabytesPerSecond: Double
        var uploadCpMegabytesPerSecond: Double
        var zipMegabytesPerSecond: Double
        var zipCpMegabytesPerSecond: Double
        /// loopweb's peak RSS after each part, in order: search, previews, downloads, upload, ZIP.
        var loopwebPeakRSSByPartMegabytes: [String: Double]
        var loopwebPeakRSSMegabytes: Double?
        var loopwebRSSAfterMegabytes: Double?
    }

    func run() throws {
        try workFolder.use(named: "loopbench-web") { work, library in try measure(work: work, library: library) }
    }

    private func measure(work: String, library: String) throws {
        var started = ContinuousClock.now
        try SyntheticLibrary.writeWithFiles(rows: rows, library: library, index: work + "/state/index.sqlite")
        log("Wrote \(rows) rows and their empty files in \((ContinuousClock.now - started).seconds) s.")
        started = .now
        let audio = try writeAudio(library: library)
        log("Wrote the audio in \((ContinuousClock.now - started).seconds) s.")

        let daemon = try BenchDaemon(work: work, library: library, workers: 0, config: everyoneReads ? "[access]\nvisibility = \"everyone\"\n" : nil)
        defer { daemon.stop() }
        let client = try RPCClient(socketPath: daemon.socket)
        let _: SyncReply = try client.call(LoopMethod.sync)
        log("loopd is ready and has analysed the audio after \((ContinuousClock.now - daemon.launchedAt).seconds) s.")
        _ = try client.call(LoopMethod.accountAdd, params: AccountRequest(name: "bench", role: .admin))
        let token = try client.call(LoopMethod.tokenCreate, params: TokenRequest(account: "bench")).token
        let web = try BenchWeb(work: work, socket: daemon.socket)
        defer { web.stop() }
        let curl = Curl(base: web.base, token: token)
        func id(of path: String) throws -> Int64 {
            try client.call(LoopMethod.get, params: FileReference(path: path)).id
        }

        // Search: the Splice-like filter, on one connection, then 200 connections at once.
        let filter = "bass bpm:120..128 key:Am type:loop"
        let query = "/api/v1/sounds?q=" + filter.replacingOccurrences(of: " ", with: "+") + "&page_size=50"
        // A filter that matches nothing would time an empty answer.
        let firstPage = try client.call(LoopMethod.find, params: FindRequest(query: filter, limit: 50))
        guard firstPage.records.count == 50 else { throw ValidationError("The timed search matches \(firstPage.records.count) rows, not a page of 50.") }
        _ = try curl.times(Array(repeating: query, count: 5), metric: "time_total")
        let searchMs = Percentiles(try curl.times(Array(repeating: query, count: searches), metric: "time_total").map { $0 * 1000 })
        let concurrent = try curl.times(Array(repeating: query, count: 1000), metric: "time_total", parallel: 200).map { $0 * 1000 }
        log("Search p50 \(searchMs.p50) ms, p99 \(searchMs.p99) ms.")
        var peaks: [String: Double] = [:]
        peaks["1-search"] = web.memory("VmHWM:")

        // Previews: time to the first byte, the original WAV and an AIFF decoded while sent.
        var previews: [String: Percentiles] = [:]
        for (kind, path) in [("wav", audio.wav), ("aiff", audio.aiff)] {
            let url = "/api/v1/sounds/\(try id(of: path))/preview"
            previews[kind] = Percentiles(try curl.times(Array(repeating: url, count: 100), metric: "time_starttransfer").map { $0 * 1000 })
        }

        peaks["2-previews"] = web.memory("VmHWM:")

        // Concurrent downloads of one file.
        let downloadURL = "/api/v1/sounds/\(try id(of: audio.large))/download"
        started = .now
        let codes = try curl.statuses(Array(repeating: downloadURL, count: downloads), parallel: downloads)
        let downloadSeconds = (ContinuousClock.now - started).seconds
        let downloadErrors = codes.filter { $0 != 200 }.count
        log("\(downloads) downloads in \(downloadSeconds) s, \(downloadErrors) errors.")
        peaks["3-downloads"] = web.memory("VmHWM:")

        // An upload against cp of the same bytes on the same disk.
        let source = work + "/upload-source.bin"
        try Shell.run("/usr/bin/head", ["-c", String(uploadBytes), "/dev/urandom"], output: source)
        started = .now
        try Shell.run("/bin/cp", [source, work + "/upload-copy.bin"])
        try Shell.run("/bin/sync", [])
        let cpSeconds = (ContinuousClock.now - started).seconds
        try FileManager.default.removeItem(atPath: work + "/upload-copy.bin")
        started = .now
        let uploaded = try curl.upload(source, to: "/api/v1/uploads?name=Uploaded.wav&folder=Uploads")
        let uploadSeconds = (ContinuousClock.now - started).seconds
        guard uploaded == 201 else { throw ValidationError("The upload answered \(uploaded).") }
        try FileManager.default.removeItem(atPath: source)
        peaks["4-upload"] = web.memory("VmHWM:")
        let megabytes = Double(uploadBytes) / 1_048_576

        // A collection of the small files as one ZIP, against cp -r of their folder.
        _ = try curl.send(method: "POST", path: "/api/v1/collections", json: #"{"name":"Bench"}"#)
        var adds: [String] = []
        for path in audio.zipFiles { adds.append("/api/v1/collections/Bench/sounds/\(try id(of: path))") }
        let added = try curl.statuses(adds, method: "PUT")
        guard added.allSatisfy({ $0 == 200 }) else { throw ValidationError("Adding to the collection failed: \(Set(added)).") }
        started = .now
        try Shell.run("/bin/cp", ["-r", audio.zipFolder, work + "/zip-copy"])
        try Shell.run("/bin/sync", [])
        let zipCpSeconds = (ContinuousClock.now - started).seconds
        started = .now
        let zipPath = work + "/bench.zip"
        let zipStatus = try curl.download("/api/v1/collections/Bench/zip", to: zipPath)
        guard zipStatus == 200 else {
            let detail = (try? String(contentsOfFile: zipPath, encoding: .utf8)) ?? ""
            throw ValidationError("The ZIP download failed (HTTP \(zipStatus)): \(detail.prefix(300))")
        }
        try Shell.run("/bin/sync", [])
        let zipSeconds = (ContinuousClock.now - started).seconds
        peaks["5-zip"] = web.memory("VmHWM:")
        let zipMegabytes = Double(FileStat.of(zipPath)?.size ?? 0) / 1_048_576
        let folderMegabytes = Double(audio.zipFiles.reduce(Int64(0)) { $0 + Int64(FileStat.of($1)?.size ?? 0) }) / 1_048_576

        try printJSON(Report(
            rows: rows, everyoneReads: everyoneReads, searchMs: searchMs, searchConcurrentMs: Percentiles(concurrent), previewFirstByteMs: previews,
            downloads: downloads, downloadErrors: downloadErrors, downloadSeconds: downloadSeconds,
            uploadMegabytesPerSecond: megabytes / uploadSeconds, uploadCpMegabytesPerSecond: megabytes / cpSeconds,
            zipMegabytesPerSecond: zipMegabytes / zipSeconds, zipCpMegabytesPerSecond: folderMegabytes / zipCpSeconds,
            loopwebPeakRSSByPartMegabytes: peaks, loopwebPeakRSSMegabytes: web.memory("VmHWM:"), loopwebRSSAfterMegabytes: web.memory("VmRSS:")
        ))
    }

    struct Audio {
        var wav: String
        var aiff: String
        var large: String
        var zipFolder: String
        var zipFiles: [String]
    }

    private func writeAudio(library: String) throws -> Audio {
        let folder = library + "/Bench"
        try FileManager.default.createDirectory(atPath: folder + "/Zip", withIntermediateDirectories: true)
        let wav = folder + "/Preview.wav", aiff = folder + "/Preview.aiff", large = folder + "/Large.wav"
        try SignalWriter.write(path: wav, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 1), duration: 4, sampleRate: 44100, channels: 2)
        try SignalWriter.write(path: aiff, kind: .aiff16, signal: .noise(amplitude: 0.3, seed: 2), duration: 4, sampleRate: 44100, channels: 2)
        try SignalWriter.write(path: large, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 3), duration: Double(downloadBytes) / (44100 * 4), sampleRate: 44100, channels: 2)
        // One template copied: the ZIP's figure is about bytes, and analysis of a thousand takes time.
        let template = folder + "/zip-template.wav"
        try SignalWriter.write(path: template, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 4), duration: 1.2, sampleRate: 44100, channels: 2)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: template))
        try FileManager.default.removeItem(atPath: template)
        var files: [String] = []
        for index in 0..<zipFiles {
            // A byte of difference each, so every file is its own sound (not a duplicate).
            bytes[bytes.count - 1] = UInt8(truncatingIfNeeded: index)
            bytes[bytes.count - 2] = UInt8(truncatingIfNeeded: index >> 8)
            let path = folder + "/Zip/Hit \(index).wav"
            try bytes.write(to: URL(fileURLWithPath: path))
            files.append(path)
        }
        return Audio(wav: wav, aiff: aiff, large: large, zipFolder: folder + "/Zip", zipFiles: files)
    }
}

/// loopweb built beside loopbench, on a free port.
final class BenchWeb {
    let base: String
    private let process = Process()

    init(work: String, socket: String, arguments: [String] = []) throws {
        let loopweb = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loopweb").path
        guard FileManager.default.isExecutableFile(atPath: loopweb) else { throw ValidationError("loopweb is not built beside loopbench at \(loopweb).") }
        process.executableURL = URL(fileURLWithPath: loopweb)
        process.arguments = ["--socket", socket, "--listen", "127.0.0.1:0", "--state-dir", work + "/web", "--max-upload-bytes", String(Int64(8) << 30)] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var seen = ""
        let handle = errors.fileHandleForReading
        while !seen.contains("/api/v1/ for loopd") {
            let chunk = handle.availableData
            if chunk.isEmpty { throw ValidationError("loopweb exited: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard let start = seen.range(of: "http://"), let end = seen.range(of: "/api/v1/", range: start.upperBound..<seen.endIndex) else {
            throw ValidationError("loopweb did not say where it serves: \(seen)")
        }
        base = String(seen[start.lowerBound..<end.lowerBound])
        Thread.detachNewThread { while !handle.availableData.isEmpty {} }
    }

    func memory(_ field: String) -> Double? {
        ProcessMemory.megabytes(field, of: process.processIdentifier)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// curl as the benchmark's client: one process for many requests, so connections are kept.
struct Curl {
    let base: String
    let token: String

    private var auth: [String] { ["-H", "Authorization: Bearer " + token] }

    /// One `-w` metric per request, in seconds; `parallel` runs that many at once.
    func times(_ paths: [String], metric: String, parallel: Int? = nil) throws -> [Double] {
        try each(paths, format: "%{\(metric)}", parallel: parallel).compactMap(Double.init)
    }

    func statuses(_ paths: [String], method: String = "GET", parallel: Int? = nil) throws -> [Int] {
        try each(paths, format: "%{http_code}", parallel: parallel, extra: ["-X", method]).compactMap { Int($0) }
    }

    private func each(_ paths: [String], format: String, parallel: Int?, extra: [String] = []) throws -> [String] {
        var arguments = ["-s", "--no-progress-meter", "-g", "-w", format + "\\n"] + auth + extra
        if let parallel { arguments += ["--parallel", "--parallel-immediate", "--parallel-max", String(parallel)] }
        for path in paths { arguments += [base + path, "-o", "/dev/null"] }
        return try Shell.output("/usr/bin/curl", arguments).split(separator: "\n").map(String.init)
    }

    func send(method: String, path: String, json: String) throws -> Int {
        Int(try Shell.output("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", method, "-H", "Content-Type: application/json", "--data-binary", json] + auth + [base + path])) ?? 0
    }

    func upload(_ file: String, to path: String) throws -> Int {
        Int(try Shell.output("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-T", file] + auth + [base + path])) ?? 0
    }

    func download(_ path: String, to file: String) throws -> Int {
        Int(try Shell.output("/usr/bin/curl", ["-s", "-o", file, "-w", "%{http_code}"] + auth + [base + path])) ?? 0
    }
}

/// Runs a program and waits; its output is returned or written to a file.
enum Shell {
    @discardableResult
    static func output(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("\(executable) failed (\(process.terminationStatus)).") }
        return String(decoding: data, as: UTF8.self)
    }

    static func run(_ executable: String, _ arguments: [String], output: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil) else { throw ValidationError("Cannot create \(output).") }
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("\(executable) failed (\(process.terminationStatus)).") }
    }
}
