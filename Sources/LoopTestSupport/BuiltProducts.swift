import Foundation

/// Finds the executables built beside the test bundle (`loopd`, `loopctl`).
public enum BuiltProducts {
    public static func path(of executable: String) -> String? {
        var candidates: [String] = []
        if let dir = ProcessInfo.processInfo.environment["OPENLOOP_BIN_DIR"] { candidates.append(dir) }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        var folder = testBinary.deletingLastPathComponent()
        // On Linux the test binary is `<build>/debug/<Package>PackageTests.xctest`.
        for _ in 0..<4 {
            candidates.append(folder.path)
            folder = folder.deletingLastPathComponent()
        }
        return candidates.map { $0 + "/" + executable }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The folder holding Package.swift, found above the test binary.
    public static var packageRoot: String? {
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: folder.path + "/Package.swift") { return folder.path }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}
