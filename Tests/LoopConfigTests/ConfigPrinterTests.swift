import Foundation
import LoopConfig
import LoopCore
import LoopTestSupport
import Testing

@Suite struct ConfigPrinterTests {
    let home = TemporaryDirectory("print")

    func resolve(_ file: String) throws -> DaemonConfig {
        try ConfigResolver(paths: DefaultPaths(environment: [:], home: home.path, isRoot: false), cores: 2)
            .resolve(ConfigOverrides(configFile: file))
    }

    /// Every key set away from its default, so a key the printer leaves out changes the result.
    @Test func thePrintedConfigReadsBackToTheSameConfiguration() throws {
        let studio = home.makeDirectory("studio")
        let other = home.makeDirectory("other \"quoted\"")
        let file = home.file("loopd.toml")
        try """
            [library]
            roots = ["\(studio)", "\(other.replacingOccurrences(of: "\"", with: "\\\""))"]
            extensions = ["wav", "flac"]
            follow_symlinks = true
            follow_outside = true
            [library.templates]
            "\(studio)" = "{artist}/{song}/{track}/{version}.{ext}"
            [access]
            writers = "studio"
            visibility = "everyone"
            [state]
            dir = "\(home.path)/state"
            [rpc]
            socket = "\(home.path)/run/loopd.sock"
            socket_mode = "0640"
            [analysis]
            workers = 3
            deadline_seconds = 90
            [watch]
            settle_ms = 750
            poll_seconds = 12
            [ignore]
            patterns = ["*.tmp", "Bounces"]
            hidden = false
            marker = ".noindex"
            [views]
            enabled = true
            folder = "_Views"
            links = "hardlink"
            [views.searches]
            "Kicks 124" = "kick bpm:124"
            [spotlight]
            enabled = true
            address = "127.0.0.2"
            port = 9201
            [limits]
            line_bytes = 65536
            batch_calls = 8
            reply_bytes = 1048576
            connections = 100
            connections_per_user = 10
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let original = try resolve(file)
        let printed = ConfigPrinter.toml(original)
        let reprinted = home.file("printed.toml")
        try printed.write(toFile: reprinted, atomically: true, encoding: .utf8)
        let readBack = try resolve(reprinted)
        #expect(readBack == original, "printed:\n\(printed)")
        // Equality alone would pass if both lost a setting: the settings are the file's.
        #expect(original.views?.links == .hardlink && original.spotlight?.port == 9201 && original.limits.batchCalls == 8)
        #expect(original.ignore.marker == ".noindex" && original.visibility == .everyone && original.templates[studio] != nil)
    }

    @Test func theDefaultsPrintAndReadBack() throws {
        let file = home.file("empty.toml")
        try "".write(toFile: file, atomically: true, encoding: .utf8)
        let defaults = try resolve(file)
        let printed = home.file("defaults.toml")
        try ConfigPrinter.toml(defaults).write(toFile: printed, atomically: true, encoding: .utf8)
        #expect(try resolve(printed) == defaults)
        let sections = try ConfigFile.load(path: printed)
        #expect(sections.viewsEnabled == false && sections.spotlightEnabled == false && sections.writersGroup == nil)
    }
}
