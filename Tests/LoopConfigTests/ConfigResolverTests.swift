import Foundation
import LoopConfig
import LoopCore
import LoopTestSupport
import Testing

@Suite struct ConfigResolverTests {
    let home = TemporaryDirectory("home")

    func resolver(environment: [String: String] = [:]) -> ConfigResolver {
        ConfigResolver(paths: DefaultPaths(environment: environment, home: home.path, isRoot: false), cores: 2)
    }

    @Test func defaultsCreateTheDefaultLibrary() throws {
        let config = try resolver().resolve(ConfigOverrides())
        #expect(config.roots == [home.path + "/Samples"])
        #expect(FileManager.default.fileExists(atPath: home.path + "/Samples"))
        #expect(config.stateDirectory == home.path + "/.local/state/loopd")
        #expect(config.socketMode == 0o660)
        #expect(config.workers == 2)
    }

    @Test func flagsOverrideTheFile() throws {
        let library = home.makeDirectory("lib")
        let other = home.makeDirectory("other")
        let file = home.file("loopd.toml")
        try "[library]\nroots = [\"\(library)\"]\n[analysis]\nworkers = 5\n".write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try resolver().resolve(ConfigOverrides(configFile: file))
        #expect(fromFile.roots == [library])
        #expect(fromFile.workers == 5)
        let overridden = try resolver().resolve(ConfigOverrides(configFile: file, roots: [other], socketPath: home.path + "/s.sock", workers: 1))
        #expect(overridden.roots == [other])
        #expect(overridden.workers == 1)
        #expect(overridden.socketPath == home.path + "/s.sock")
    }

    @Test func aMissingRootStopsStartup() {
        let missing = home.path + "/nowhere"
        #expect(throws: ConfigError.missingRoot(path: missing)) {
            try resolver().resolve(ConfigOverrides(roots: [missing]))
        }
    }

    @Test func symlinkedRootsResolveToTheirTarget() throws {
        let target = home.makeDirectory("disk/Samples")
        try FileManager.default.createSymbolicLink(atPath: home.path + "/link", withDestinationPath: target)
        let config = try resolver().resolve(ConfigOverrides(roots: [home.path + "/link/"]))
        #expect(config.roots == [URL(fileURLWithPath: target).resolvingSymlinksInPath().path])
    }

    @Test func configLookupOrder() throws {
        let xdgFile = home.file(".config/loopd/loopd.toml")
        try "".write(toFile: xdgFile, atomically: true, encoding: .utf8)
        #expect(DefaultPaths(environment: [:], home: home.path, isRoot: false).configFile() == xdgFile)
        #expect(DefaultPaths(environment: ["LOOPD_CONFIG": "/x.toml"], home: home.path, isRoot: false).configFile() == "/x.toml")
        let rootPaths = DefaultPaths(environment: [:], home: home.path, isRoot: true)
        #expect(rootPaths.configFile(fileExists: { _ in true }) == "/etc/loopd/loopd.toml")
        #expect(DefaultPaths(environment: [:], home: home.path + "/empty", isRoot: false).configFile() == nil)
    }

    @Test func statePlacesFollowSystemdThenXDG() {
        let service = DefaultPaths(environment: ["STATE_DIRECTORY": "/var/lib/loopd", "RUNTIME_DIRECTORY": "/run/loopd"], home: "/home/u", isRoot: false)
        #expect(service.stateDirectory == "/var/lib/loopd")
        #expect(service.socketPath == "/run/loopd/loopd.sock")
        let user = DefaultPaths(environment: ["XDG_STATE_HOME": "/s", "XDG_RUNTIME_DIR": "/run/user/1000"], home: "/home/u", isRoot: false)
        #expect(user.stateDirectory == "/s/loopd")
        #expect(user.socketPath == "/run/user/1000/loopd/loopd.sock")
        let bare = DefaultPaths(environment: [:], home: "/home/u", isRoot: true)
        #expect(bare.stateDirectory == "/home/u/.local/state/loopd")
        #expect(bare.socketPath == "/run/loopd/loopd.sock")
    }
}
