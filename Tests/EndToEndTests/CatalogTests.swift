import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport
import Testing

/// The views tree on disk and catalog.html in a real headless Chromium.
@Suite struct CatalogTests {
    @Test(.timeLimit(.minutes(3))) func theCatalogueSearchesInABrowserAndLinksToTheFiles() throws {
        guard FileManager.default.isExecutableFile(atPath: HeadlessBrowser.executable) else {
            try #require(ProcessInfo.processInfo.environment["CI"] == nil, "CI installs chromium; it must be there")
            print("CatalogTests skipped: \(HeadlessBrowser.executable) is missing (apt install chromium).")
            return
        }
        let daemon = DaemonProcess()
        for (index, name) in ["Drums/Kick Hard.wav", "Drums/Kick Soft.wav", "Drums/Snare #1.wav", "Keys/Stab <dark>.wav"].enumerated() {
            let sound: LoopPattern.OneShot = name.contains("Kick") ? .kick : name.contains("Snare") ? .snare : .stab
            try SignalWriter.write(path: daemon.folder.file("library/" + name), kind: .wav16, interleaved: sound.render(sampleRate: 44100, seed: UInt64(index)), sampleRate: 44100)
        }
        try SignalWriter.write(path: daemon.folder.file("library/Loops/Groove 124.wav"), kind: .wav16,
                               interleaved: LoopPattern.house.render(bpm: 124, beats: 8, sampleRate: 44100, seed: 9), sampleRate: 44100)
        daemon.configText = "[views]\nenabled = true\n[views.searches]\n\"Kicks: all\" = \"kick\"\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        // Ask the daemon to publish now, rather than waiting on its timer.
        let rebuilt = try daemon.loopctl(["view", "rebuild"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let views = daemon.library + "/_Index"

        // Links resolve to the samples; names are Windows-safe; the saved search has its folder.
        let kickEntry = views + "/One-shots/Kick/Kick Hard.wav"
        #expect(try Data(contentsOf: URL(fileURLWithPath: kickEntry)) == Data(contentsOf: URL(fileURLWithPath: daemon.library + "/Drums/Kick Hard.wav")))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: kickEntry) == "../../../Drums/Kick Hard.wav", "relative links work wherever the share is mounted")
        #expect(FileManager.default.fileExists(atPath: views + "/Searches/Kicks_ all/Kick Soft.wav"), "':' is not allowed on Windows")
        #expect(FileManager.default.fileExists(atPath: views + "/Loops/120-129 BPM/No key/Groove 124.wav"))
        let stab = try FileManager.default.contentsOfDirectory(atPath: views + "/Instruments/Stab")
        #expect(stab == ["Stab _dark_.wav"], "\(stab)")
        #expect(try daemon.search(["path:_Index"]).isEmpty && (try daemon.status().files) == 5, "the views are never indexed")

        // A new file appears in its views by itself.
        try SignalWriter.write(path: daemon.folder.file("library/Drums/Kick Deep.wav"), kind: .wav16,
                               interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 42), sampleRate: 44100)
        try daemon.sync()
        // Ask the daemon when its views (and the catalogue) have caught up.
        let caughtUp = try daemon.loopctl(["view", "sync"])
        #expect(caughtUp.status == 0, "\(caughtUp.stderr)")
        #expect(try String(contentsOfFile: views + "/catalog.html", encoding: .utf8).contains("Kick Deep"))
        #expect(FileManager.default.fileExists(atPath: views + "/One-shots/Kick/Kick Deep.wav"))

        // The page, from disk, in a real browser: type a query and read the rows shown.
        let browser = try HeadlessBrowser()
        try browser.open("file://" + views + "/catalog.html")
        let all = try browser.evaluate("[...document.querySelectorAll('#rows tr a')].map(a => a.textContent)") as? [String]
        #expect(all?.count == 6, "every file is listed: \(String(describing: all))")
        try browser.evaluate("document.getElementById('q').focus()")
        try browser.type("kick")
        let shown = try browser.evaluate("[...document.querySelectorAll('#rows tr a')].map(a => a.textContent)") as? [String]
        #expect(shown?.sorted() == ["Kick Deep.wav", "Kick Hard.wav", "Kick Soft.wav"], "\(String(describing: shown))")
        try browser.evaluate("document.getElementById('type').value = 'loop'; document.getElementById('type').dispatchEvent(new Event('input'))")
        #expect(try browser.evaluate("document.querySelectorAll('#rows tr').length") as? Int == 0, "no loop is called kick")
        try browser.evaluate("document.getElementById('q').value = ''; document.getElementById('q').dispatchEvent(new Event('input'))")
        let loops = try browser.evaluate("[...document.querySelectorAll('#rows tr a')].map(a => a.textContent)") as? [String]
        #expect(loops == ["Groove 124.wav"])
        // The play button's relative link is the real file.
        let source = try browser.evaluate("decodeURIComponent(new URL(document.querySelector('#rows button').dataset.src, location).pathname)") as? String
        #expect(source == daemon.library + "/Loops/Groove 124.wav")
        #expect(try browser.evaluate("document.querySelector('#rows svg path') !== null") as? Bool == true, "each row draws its waveform")
        let artifacts = ProcessInfo.processInfo.environment["TEST_ARTIFACTS"] ?? ((BuiltProducts.packageRoot ?? NSTemporaryDirectory()) + "/.build/test-artifacts")
        try browser.screenshot(to: artifacts + "/catalog.png")
        print("CatalogTests: screenshot at \(artifacts)/catalog.png")
    }

    /// A name is data any share user chooses: none may change the page's markup or run script.
    @Test(.timeLimit(.minutes(3))) func hostileNamesAreShownAndRunNothing() throws {
        guard FileManager.default.isExecutableFile(atPath: HeadlessBrowser.executable) else {
            try #require(ProcessInfo.processInfo.environment["CI"] == nil, "CI installs chromium; it must be there")
            print("CatalogTests skipped: \(HeadlessBrowser.executable) is missing (apt install chromium).")
            return
        }
        let names = [
            "<!--<script>.wav",
            // A folder and a file: the folder's name holds the end of a script element.
            "</script><script>window.injected=1</script>.wav",
            "<img src=x onerror=window.injected=2>.wav",
            "\"quoted\" 'single' & amp;.wav",
            "\u{202E}vaw.exe.wav",
            "line\u{2028}separator.wav",
            "a&lt;b&#62;.wav",
        ]
        let daemon = DaemonProcess()
        for (index, name) in names.enumerated() {
            try SignalWriter.write(path: daemon.folder.file("library/Hostile/" + name), kind: .wav16,
                                   interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: UInt64(index)), sampleRate: 44100)
        }
        daemon.configText = "[views]\nenabled = true\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let rebuilt = try daemon.loopctl(["view", "rebuild"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let browser = try HeadlessBrowser()
        try browser.open("file://" + daemon.library + "/_Index/catalog.html")
        let shown = try browser.evaluate("[...document.querySelectorAll('#rows tr a')].map(a => a.textContent)") as? [String]
        let fileNames = names.map { String($0.split(separator: "/").last ?? "") }
        #expect(shown?.sorted() == fileNames.sorted(), "every row is shown with its name as written: \(String(describing: shown))")
        let paths = try browser.evaluate("[...document.querySelectorAll('#rows tr small')].map(s => s.textContent)") as? [String]
        #expect(paths?.sorted() == names.map { "Hostile/" + $0 }.sorted(), "and its folder")
        #expect(try browser.evaluate("typeof window.injected") as? String == "undefined", "no injected script ran")
        #expect(try browser.evaluate("document.querySelectorAll('img, script:not(#data)').length") as? Int == 1, "only the page's own script; no injected element")
        let csv = try String(contentsOfFile: daemon.library + "/_Index/catalog.csv", encoding: .utf8)
        #expect(csv.contains("\"Hostile/\"\"quoted\"\" 'single' & amp;.wav\""), "CSV quotes the name")
    }

    /// A views folder loopd may not write (a read-only library, a sandbox): `view sync` and
    /// `status` say so, rather than "up to date".
    @Test(.timeLimit(.minutes(3))) func viewsThatCannotBeWrittenAreReported() throws {
        guard getuid() == 0 else {
            print("CatalogTests: not root, so a library loopd cannot write is skipped (setpriv needs root).")
            return
        }
        let daemon = DaemonProcess()
        daemon.runAs = (65534, 65534)
        chmod(daemon.folder.path, 0o777)
        try SignalWriter.write(path: daemon.folder.file("library/Kick.wav"), kind: .wav16,
                               interleaved: LoopPattern.OneShot.kick.render(sampleRate: 44100, seed: 1), sampleRate: 44100)
        // The library stays root's (0755): loopd, as nobody, reads it but cannot write its views folder.
        daemon.configText = "[views]\nenabled = true\n"
        try daemon.start()
        defer { daemon.stop() }
        try daemon.sync()
        let synced = try daemon.loopctl(["view", "sync"])
        #expect(synced.status == 7 && synced.stderr.contains("The views are not up to date"), "\(synced.stderr)")
        #expect(synced.stderr.contains("systemd/README.md"))
        let failures = try daemon.status().viewsFailures ?? []
        #expect(!failures.isEmpty)
        #expect(try daemon.loopctl(["status"]).stdout.contains("Views:    not up to date"))
    }
}
