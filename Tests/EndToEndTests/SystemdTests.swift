#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

/// loopd under systemd's protocols, without systemd as PID 1: a test socket
/// in place of NOTIFY_SOCKET, systemd-socket-activate, systemd-analyze.
@Suite(.serialized) struct SystemdTests {
    /// Whether `lines` hold a datagram with `line` among its lines.
    static func has(_ messages: [String], _ line: String) -> Bool {
        messages.contains { $0.split(separator: "\n").contains { $0 == line } }
    }

    static func count(_ messages: [String], _ line: String) -> Int {
        messages.filter { $0.split(separator: "\n").contains { $0 == line } }.count
    }

    @Test func readinessStatusWatchdogReloadAndStop() throws {
        let daemon = DaemonProcess()
        let notify = try DatagramReceiver(path: daemon.folder.path + "/notify.sock")
        // A 600 ms watchdog: pings every 300 ms.
        daemon.extraEnvironment = ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "600000"]
        try SignalWriter.write(path: daemon.folder.file("library/tone.wav"), kind: .wav16, signal: .sine(frequency: 440, amplitude: 0.5), duration: 0.5)
        try daemon.start()
        defer { daemon.stop() }

        let startup = notify.collect(timeout: 20) { Self.count($0, "WATCHDOG=1") >= 3 && $0.contains { $0.hasPrefix("STATUS=watching") || $0.contains("\nSTATUS=watching") } }
        #expect(Self.has(startup, "READY=1"), "\(startup)")
        #expect(startup.contains { $0.contains("STATUS=") }, "a status line is sent")
        #expect(Self.count(startup, "WATCHDOG=1") >= 3, "pings keep coming: \(startup)")
        try daemon.sync()
        // The line is sent once, when the status changes: it may have come with the start-up messages.
        let idleLine = "STATUS=watching 1 files in 1 root; 0 errors"
        let idle = startup.contains { $0.contains(idleLine) } ? startup : notify.collect(timeout: 10) { $0.contains { $0.contains(idleLine) } }
        #expect(idle.contains { $0.contains(idleLine) }, "\(idle)")

        daemon.signal(SIGHUP)
        let reload = notify.collect(timeout: 10) { Self.has($0, "READY=1") }
        let reloading = reload.firstIndex { Self.has([$0], "RELOADING=1") }
        let ready = reload.firstIndex { Self.has([$0], "READY=1") }
        #expect(reloading != nil && ready != nil && reloading! < ready!, "RELOADING=1 then READY=1: \(reload)")

        // A stuck index writer: the pings stop.
        daemon.signal(SIGUSR2)
        #expect(daemon.log.wait(timeout: 10) { $0.contains { $0.contains("has not answered") } }, "the daemon notices")
        // What was sent before it noticed is already waiting here; from now on nothing may come.
        while notify.receive(timeout: 0) != nil {}
        let silent = notify.collect(timeout: 1.5) { _ in false }
        #expect(Self.count(silent, "WATCHDOG=1") == 0, "no pings while the writer is stuck: \(silent)")
        #expect(try daemon.status().files == 1, "queries are still served")

        daemon.signal(SIGTERM)
        let stopping = notify.collect(timeout: 10) { Self.has($0, "STOPPING=1") }
        #expect(Self.has(stopping, "STOPPING=1"))
    }

    @Test func aSocketPassedBySocketActivationIsServed() throws {
        let activate = "/usr/bin/systemd-socket-activate"
        try #require(FileManager.default.isExecutableFile(atPath: activate), "systemd-socket-activate is installed (Debian's systemd package)")
        let daemon = DaemonProcess()
        try SignalWriter.write(path: daemon.folder.file("library/tone.wav"), kind: .wav16, signal: .sine(frequency: 440, amplitude: 0.5), duration: 0.5)
        let passed = daemon.folder.path + "/activated.sock"
        // loopd's own --socket points elsewhere: what it serves must be the passed one.
        let activator = try SpawnedProcess(activate, ["-l", passed, "--fdname=rpc", try DaemonProcess.binary("loopd"),
                                                      "--library", daemon.library, "--state-dir", daemon.stateDirectory, "--socket", daemon.socket],
                                           environment: daemon.environment)
        defer { activator.terminate() }
        // The socket exists before loopd runs; the first connection starts it.
        #expect(activator.standardError.wait(timeout: 10) { $0.joined().contains("Listening on") }, "\(activator.standardError.all)")
        var environment = daemon.environment
        environment["LOOPD_SOCKET"] = passed
        let sync = try DaemonProcess.run(try DaemonProcess.binary("loopctl"), ["sync"], environment: environment)
        #expect(sync.status == 0, "\(sync.stderr)")
        let search = try DaemonProcess.run(try DaemonProcess.binary("loopctl"), ["search", "tone", "--json"], environment: environment)
        #expect(search.status == 0 && search.stdout.contains("tone.wav"), "\(search.stdout) \(search.stderr)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socket), "loopd bound no socket of its own")
    }

    @Test func sighupAddsAndRemovesRootsAndKeepsServingOnABrokenConfig() throws {
        let daemon = DaemonProcess()
        let notify = try DatagramReceiver(path: daemon.folder.path + "/notify.sock")
        daemon.extraEnvironment = ["NOTIFY_SOCKET": notify.path]
        let second = daemon.folder.makeDirectory("second")
        try SignalWriter.write(path: daemon.folder.file("library/first.wav"), kind: .wav16, signal: .sine(frequency: 440, amplitude: 0.5), duration: 0.5)
        try SignalWriter.write(path: daemon.folder.file("second/other.wav"), kind: .wav16, signal: .sine(frequency: 220, amplitude: 0.5), duration: 0.5)
        let config = daemon.folder.path + "/loopd.toml"
        func writeConfig(_ text: String) throws { try text.write(toFile: config, atomically: false, encoding: .utf8) }
        try writeConfig("[library]\nroots = [\"\(daemon.library)\"]\n")
        try daemon.start(arguments: ["--config", config, "--state-dir", daemon.stateDirectory, "--socket", daemon.socket])
        defer { daemon.stop() }
        #expect(Self.has(notify.collect(timeout: 20) { Self.has($0, "READY=1") }, "READY=1"))
        try daemon.sync()
        #expect(try daemon.search().map(\.path) == [daemon.library + "/first.wav"])

        func reload() {
            daemon.signal(SIGHUP)
            let messages = notify.collect(timeout: 10) { Self.has($0, "READY=1") }
            #expect(Self.has(messages, "READY=1"), "reload finished: \(messages)")
        }
        try writeConfig("[library]\nroots = [\"\(daemon.library)\", \"\(second)\"]\n")
        reload()
        try daemon.sync()
        #expect(Set(try daemon.search().map(\.path)) == [daemon.library + "/first.wav", second + "/other.wav"])

        try writeConfig("[library]\nroots = [\"\(daemon.library)\"]\nbogus_key = 1\n")
        reload()
        #expect(daemon.log.wait(timeout: 5) { $0.contains { $0.contains("Reload rejected") && $0.contains("bogus_key") } })
        try daemon.sync()
        #expect(try daemon.search().count == 2, "the old configuration stays in force")

        try writeConfig("[library]\nroots = [\"\(daemon.library)\"]\n")
        reload()
        try daemon.sync()
        #expect(try daemon.search().map(\.path) == [daemon.library + "/first.wav"], "a removed root's files leave the search")
        #expect(try daemon.status().offlineFiles == 1, "and stay in the index, offline")
    }

    /// The shipped units pass `systemd-analyze verify` and its hardening score stays low.
    @Test func unitsVerifyAndAreHardened() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is installed (Debian's systemd package)")
        let folder = TemporaryDirectory("units")
        let (units, loopd) = try copySystemUnits(to: folder)
        let verify = try DaemonProcess.run(analyze, ["verify", "--man=no", folder.path + "/loopd.service", folder.path + "/loopd.socket"], environment: ProcessInfo.processInfo.environment)
        let said = verify.stdout + verify.stderr
        #expect(verify.status == 0, "\(said)")
        #expect(!said.contains("ignoring") && !said.contains("Unknown"), "\(said)")
        // The user unit, checked as a user manager would load it.
        let user = TemporaryDirectory("user-units")
        let userUnit = try String(contentsOfFile: units + "/user/loopd.service", encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/loopd", with: loopd)
        try userUnit.write(toFile: user.path + "/loopd.service", atomically: false, encoding: .utf8)
        var userEnvironment = ProcessInfo.processInfo.environment
        userEnvironment["XDG_RUNTIME_DIR"] = user.makeDirectory("runtime")
        let verifyUser = try DaemonProcess.run(analyze, ["--user", "verify", "--man=no", user.path + "/loopd.service"], environment: userEnvironment)
        let saidUser = verifyUser.stdout + verifyUser.stderr
        #expect(verifyUser.status == 0 && !saidUser.contains("ignoring") && !saidUser.contains("Unknown"), "\(saidUser)")
        let score = try exposure(of: try security(folder.path + "/loopd.service"))
        #expect(score <= 2.0, "exposure \(score) (0 is best, 10 worst)")
    }

    /// The shipped unit keeps loopd off the network, drop-ins included (Finder search is loopweb's);
    /// the views drop-in lets it write the views folder, and the unit still verifies and stays hardened.
    @Test func theShippedDropInsGrantWhatTheirFeaturesNeed() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is installed (Debian's systemd package)")
        let folder = TemporaryDirectory("drop-ins")
        let (units, _) = try copySystemUnits(to: folder)
        let unit = folder.path + "/loopd.service"
        #expect(try security(unit).contains("Service has no access to the host's network"))
        let dropIns = folder.makeDirectory("loopd.service.d")
        #expect(!FileManager.default.fileExists(atPath: units + "/loopd.service.d/spotlight.conf"), "no drop-in opens loopd to the network")
        for name in ["views.conf"] {
            try FileManager.default.copyItem(atPath: units + "/loopd.service.d/" + name, toPath: dropIns + "/" + name)
        }
        let withDropIns = try security(unit)
        #expect(withDropIns.contains("Service has no access to the host's network"), "\(withDropIns)")
        let score = try exposure(of: withDropIns)
        #expect(score <= 2.0, "still hardened with the drop-ins: exposure \(score)")
        let verify = try DaemonProcess.run(analyze, ["verify", "--man=no", folder.path + "/loopd.service", folder.path + "/loopd.socket"], environment: ProcessInfo.processInfo.environment)
        #expect(verify.status == 0 && !(verify.stdout + verify.stderr).contains("Unknown"), "\(verify.stdout)\(verify.stderr)")
        let views = try String(contentsOfFile: units + "/loopd.service.d/views.conf", encoding: .utf8)
        #expect(views.contains("ReadWritePaths=-/srv/samples/_Index"), "the views drop-in names the folder the views are written to")
    }

    /// The web unit verifies, may listen on loopback and reach loopd's socket, cannot reach loopd's
    /// index or the wider network, and stays hardened; loopd's own unit keeps no network at all.
    @Test func theWebUnitHasTheNetworkAndLoopdDoesNot() throws {
        let analyze = "/usr/bin/systemd-analyze"
        try #require(FileManager.default.isExecutableFile(atPath: analyze), "systemd-analyze is installed (Debian's systemd package)")
        let folder = TemporaryDirectory("web-unit")
        let (_, _) = try copySystemUnits(to: folder)
        let verify = try DaemonProcess.run(analyze, ["verify", "--man=no", folder.path + "/loopweb.service"], environment: ProcessInfo.processInfo.environment)
        let said = verify.stdout + verify.stderr
        #expect(verify.status == 0 && !said.contains("ignoring") && !said.contains("Unknown"), "\(said)")
        let text = try String(contentsOfFile: folder.path + "/loopweb.service", encoding: .utf8)
        // What the README's setups need: --listen and --spotlight on loopback.
        #expect(text.contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6") && text.contains("IPAddressAllow=localhost"))
        #expect(text.contains("InaccessiblePaths=-/var/lib/loopd"), "loopweb keeps away from loopd's index")
        let report = try security(folder.path + "/loopweb.service")
        #expect(report.contains("Service has access to the host's network"), "\(report)")
        let score = try exposure(of: report)
        #expect(score <= 2.0, "exposure \(score) (0 is best, 10 worst)")
        #expect(try security(folder.path + "/loopd.service").contains("Service has no access to the host's network"))
    }

    /// Copies the system units into `folder`, pointed at the built loopd (they name the installed one).
    private func copySystemUnits(to folder: TemporaryDirectory) throws -> (units: String, loopd: String) {
        let units = try #require(BuiltProducts.packageRoot, "the package root is known") + "/systemd"
        let loopd = try DaemonProcess.binary("loopd")
        let loopweb = try DaemonProcess.binary("loopweb")
        for unit in ["loopd.service", "loopd.socket", "loopweb.service"] {
            let text = try String(contentsOfFile: units + "/" + unit, encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/loopd", with: loopd).replacingOccurrences(of: "/usr/local/bin/loopweb", with: loopweb)
            try text.write(toFile: folder.path + "/" + unit, atomically: false, encoding: .utf8)
        }
        return (units, loopd)
    }

    /// What `systemd-analyze security --offline=yes` says of a unit file (with its drop-ins beside it).
    private func security(_ unit: String) throws -> String {
        let run = try DaemonProcess.run("/usr/bin/systemd-analyze", ["security", "--offline=yes", unit], environment: ProcessInfo.processInfo.environment)
        return run.stdout + run.stderr
    }

    /// The overall exposure level from that report (0 is best, 10 worst).
    private func exposure(of report: String) throws -> Double {
        let line = try #require(report.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(report)")
        return try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
    }

    /// `make install-files` with DESTDIR and PREFIX puts everything in its FHS place; uninstall leaves the config.
    @Test func installPutsFilesInPlaceAndUninstallKeepsTheConfig() throws {
        let root = try #require(BuiltProducts.packageRoot)
        let stage = TemporaryDirectory("stage")
        let built = (try DaemonProcess.binary("loopd") as NSString).deletingLastPathComponent
        let manuals = stage.makeDirectory("man")
        let options = ["-C", root, "DESTDIR=\(stage.path)/dest", "PREFIX=/usr", "BUILD_DIR=\(built)", "MAN_BUILD=\(manuals)"]
        let install = try DaemonProcess.run("/usr/bin/make", options + ["install-files"], environment: ProcessInfo.processInfo.environment)
        #expect(install.status == 0, "\(install.stderr)")
        let dest = stage.path + "/dest"
        for path in ["/usr/bin/loopd", "/usr/bin/loopctl", "/usr/bin/loopweb", "/usr/lib/systemd/system/loopd.service", "/usr/lib/systemd/system/loopd.socket",
                     "/usr/lib/systemd/system/loopweb.service",
                     "/usr/lib/systemd/user/loopd.service", "/usr/lib/sysusers.d/loopd.conf", "/usr/lib/sysctl.d/60-loopd-inotify.conf",
                     "/etc/loopd/loopd.toml", "/usr/share/man/man5/loopd.toml.5",
                     // The web app, where loopweb looks for it from /usr/bin.
                     "/usr/share/openloop/web/index.html", "/usr/share/openloop/web/main.js"] {
            #expect(FileManager.default.fileExists(atPath: dest + path), "\(path) installed")
        }
        let unit = try String(contentsOfFile: dest + "/usr/lib/systemd/system/loopd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/loopd\n"))
        #expect(try String(contentsOfFile: dest + "/usr/lib/systemd/system/loopweb.service", encoding: .utf8).contains("ExecStart=/usr/bin/loopweb "))
        let bash = try String(contentsOfFile: dest + "/usr/share/bash-completion/completions/loopctl", encoding: .utf8)
        #expect(bash.contains("complete") && bash.contains("collection") && bash.contains("export"), "bash completion names the commands")
        #expect(FileManager.default.fileExists(atPath: dest + "/usr/share/zsh/site-functions/_loopctl"))
        let uninstall = try DaemonProcess.run("/usr/bin/make", options + ["uninstall"], environment: ProcessInfo.processInfo.environment)
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dest + "/usr/bin/loopd") && !FileManager.default.fileExists(atPath: dest + "/usr/bin/loopweb"))
        #expect(!FileManager.default.fileExists(atPath: dest + "/usr/share/bash-completion/completions/loopctl"))
        #expect(!FileManager.default.fileExists(atPath: dest + "/usr/share/openloop/web"))
        #expect(FileManager.default.fileExists(atPath: dest + "/etc/loopd/loopd.toml"), "the config is left alone")
    }
}
