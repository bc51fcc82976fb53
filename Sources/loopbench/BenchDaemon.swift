import Foundation

/// The loopd built beside loopbench, started on the generated library.
final class BenchDaemon {
    let socket: String
    let launchedAt: ContinuousClock.Instant
    private let process = Process()

    struct StartFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// How long after launch the daemon said it serves its socket.
    private(set) var readyAfter: Duration = .zero

    init(work: String, library: String, workers: Int, config: String? = nil) throws {
        socket = work + "/loopd.sock"
        let loopd = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("loopd").path
        guard FileManager.default.isExecutableFile(atPath: loopd) else {
            throw StartFailed(description: "loopd is not built beside loopbench at \(loopd)")
        }
        process.executableURL = URL(fileURLWithPath: loopd)
        process.arguments = ["--library", library, "--state-dir", work + "/state", "--socket", socket, "--workers", String(workers)]
        if let config {
            try config.write(toFile: work + "/loopd.toml", atomically: true, encoding: .utf8)
            process.arguments? += ["--config", work + "/loopd.toml"]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LOOPD_CONFIG"] = nil
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        launchedAt = .now
        try process.run()
        // Wait for the line that says the socket is served.
        var seen = Data()
        let handle = errors.fileHandleForReading
        while !String(decoding: seen, as: UTF8.self).contains("is serving") {
            let chunk = handle.availableData
            if chunk.isEmpty { throw StartFailed(description: "loopd exited: \(String(decoding: seen, as: UTF8.self))") }
            seen.append(chunk)
        }
        readyAfter = ContinuousClock.now - launchedAt
        // Keep draining its log so it never blocks on a full pipe.
        Thread.detachNewThread { while !handle.availableData.isEmpty {} }
    }

    /// VmHWM of the daemon: the most resident memory it has used.
    func peakRSSMegabytes() -> Double? { memory("VmHWM:") }

    /// VmRSS of the daemon: resident memory now.
    func residentMegabytes() -> Double? { memory("VmRSS:") }

    private func memory(_ field: String) -> Double? {
        ProcessMemory.megabytes(field, of: process.processIdentifier)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

/// A field of a process's `/proc/PID/status` that counts kilobytes (`VmRSS:`, `VmHWM:`), in MiB.
enum ProcessMemory {
    static func megabytes(_ field: String, of pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first
            return kilobytes.map { $0 / 1024 }
        }
        return nil
    }
}
