import Foundation
import LoopConfig
import LoopCore
import Testing

@Suite struct ConfigFileTests {
    @Test func readsEveryDocumentedKey() throws {
        let text = """
            [library]
            roots = ["/srv/samples", "~/More"]
            extensions = ["wav", ".FLAC"]
            [state]
            dir = "/var/lib/loopd"
            [rpc]
            socket = "/run/loopd/loopd.sock"
            socket_mode = "0600"
            [analysis]
            workers = 3
            """
        let config = try ConfigFile.parse(text, file: "test.toml")
        #expect(config.roots == ["/srv/samples", "~/More"])
        #expect(config.extensions == ["wav", "flac"])
        #expect(config.stateDirectory == "/var/lib/loopd")
        #expect(config.socketPath == "/run/loopd/loopd.sock")
        #expect(config.socketMode == 0o600)
        #expect(config.workers == 3)
    }

    @Test func theShippedExampleConfigIsValid() throws {
        let example = #filePath.replacingOccurrences(of: "Tests/LoopConfigTests/ConfigFileTests.swift", with: "etc/loopd.toml")
        let config = try ConfigFile.load(path: example)
        #expect(config.roots == ["~/Samples"])
        #expect(config.socketMode == 0o660)
    }

    @Test func unknownKeyIsNamed() {
        #expect(throws: ConfigError.unknownKey(file: "f.toml", key: "rpc.sockt")) {
            try ConfigFile.parse("[rpc]\nsockt = \"/x\"", file: "f.toml")
        }
        #expect(throws: ConfigError.unknownKey(file: "f.toml", key: "colour")) {
            try ConfigFile.parse("colour = 1", file: "f.toml")
        }
    }

    @Test func wrongTypeIsNamed() {
        #expect(throws: ConfigError.wrongType(file: "f.toml", key: "analysis.workers", expected: "an integer")) {
            try ConfigFile.parse("[analysis]\nworkers = \"four\"", file: "f.toml")
        }
        #expect(throws: ConfigError.wrongType(file: "f.toml", key: "library.roots", expected: "an array of strings")) {
            try ConfigFile.parse("[library]\nroots = \"/one\"", file: "f.toml")
        }
    }

    @Test func badSocketModeIsRejected() {
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[rpc]\nsocket_mode = \"rw\"", file: "f.toml") }
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[rpc]\nsocket_mode = \"1777\"", file: "f.toml") }
    }

    @Test func syntaxErrorGivesALine() throws {
        do {
            _ = try ConfigFile.parse("[library]\nroots = [\n", file: "f.toml")
            Issue.record("expected a syntax error")
        } catch let ConfigError.syntax(file, line, _, _) {
            #expect(file == "f.toml")
            #expect(line >= 2)
        }
    }

    @Test func errorsReadAsOneSentence() {
        let error = ConfigError.unknownKey(file: "/etc/loopd/loopd.toml", key: "rpc.sockt")
        #expect(error.description == "Config file /etc/loopd/loopd.toml has an unknown key 'rpc.sockt'.")
    }

    @Test func theConfigReadsTemplatesAndTheWritersGroup() throws {
        let config = try ConfigFile.parse("""
            [library.templates]
            "/srv/studio" = "{artist}/{song}/{track}/{version}.{ext}"
            [access]
            writers = "studio"
            """, file: "t.toml")
        #expect(config.templates?["/srv/studio"]?.fields == ["artist", "song", "track", "version"])
        #expect(config.writersGroup == "studio")
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[library.templates]\n\"/x\" = \"{band}.{ext}\"\n", file: "t.toml") }
        #expect(throws: ConfigError.self) { try ConfigFile.parse("[access]\nreaders = \"x\"\n", file: "t.toml") }
    }
}
