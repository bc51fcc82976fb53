import ArgumentParser
import Foundation
import LoopAPI
import LoopCore
import LoopRPC
import LoopSynth
import LoopTestSupport

/// The web app in Debian's Chromium (headless, over the DevTools protocol), against loopweb and
/// loopd on a library of synthetic rows plus real audio: the first page, auditioning from the
/// keyboard, and scrolling through every row loaded. Times come from the page's Performance API.
struct BrowserBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browser",
        abstract: "The web app in Chromium: first page with waveforms, audition start after a key press, scrolling 10,000 rows.",
        discussion: "Needs /usr/bin/chromium. Rows are written straight into the index (empty files); the first page's sounds are real audio that loopd analyses."
    )

    @Option(help: "Rows in the index (empty files), for the scrolling figure.")
    var rows = 10_000

    @Option(help: "Real sounds matched by the first page's search.")
    var hits = 60

    @Option(help: "Pixels scrolled per frame (rows are 56 px): 280 is a fast fling, about 17,000 px a second.")
    var scrollStep = 280

    @Option(help: "Auditions timed, each an arrow-down.")
    var auditions = 20

    @OptionGroup var workFolder: WorkFolderOption

    struct Report: Encodable {
        var rows: Int
        /// From navigation to the first rows shown with their waveforms drawn, without and with the browser's cache.
        var firstPageColdMs: Double
        var firstPageWarmMs: Double
        /// Bytes over the network before any audio: the page, its modules and CSS, the search and the peaks.
        var firstPageColdKilobytes: Double
        var firstPageWarmKilobytes: Double
        var rowsShownOnFirstPage: Int
        /// From the arrow key's event to the audio element's `playing` event.
        var auditionStartMs: Percentiles
        var rowsLoadedForScrolling: Int
        var scrollLongTasks: Int
        var scrollLongestTaskMs: Double
    }

    static let password = "bench password"

    func run() throws {
        try workFolder.use(named: "loopbench-browser") { work, library in try measure(work: work, library: library) }
    }

    private func measure(work: String, library: String) throws {
        try SyntheticLibrary.writeWithFiles(rows: rows, library: library, index: work + "/state/index.sqlite")
        try FileManager.default.createDirectory(atPath: library + "/Bench", withIntermediateDirectories: true)
        for index in 0..<hits {
            let sound: LoopPattern.OneShot = [.kick, .snare, .hat, .stab][index % 4]
            try SignalWriter.write(path: library + "/Bench/Hit \(index).wav", kind: .wav16, interleaved: sound.render(sampleRate: 44100, seed: UInt64(index + 1)), sampleRate: 44100)
        }
        let daemon = try BenchDaemon(work: work, library: library, workers: 2)
        defer { daemon.stop() }
        let client = try RPCClient(socketPath: daemon.socket)
        let _: SyncReply = try client.call(LoopMethod.sync)
        _ = try client.call(LoopMethod.accountAdd, params: AccountRequest(name: "bench", role: .writer, password: Self.password))
        let web = try BenchWeb(work: work, socket: daemon.socket)
        defer { web.stop() }
        let browser = try HeadlessBrowser()
        try browser.open(web.base + "/")
        guard try browser.wait(until: "document.getElementById('login-name')") else { throw ValidationError("The login page did not show.") }
        try browser.evaluate("document.getElementById('login-name').value = 'bench'; document.getElementById('login-password').value = \(HeadlessBrowser.literal(Self.password)); document.querySelector('form.login button').click()")
        guard try browser.wait(until: "document.querySelector('[role=searchbox]')") else { throw ValidationError("The login failed.") }

        // The first page: navigation to rows with drawn waveforms, cold (cache cleared) and warm.
        func firstPage(cold: Bool) throws -> (ms: Double, kilobytes: Double, rows: Int) {
            if cold { try browser.send("Network.clearBrowserCache") }
            try browser.send("Page.navigate", ["url": web.base + "/?q=hit"])
            let shown = """
                new Promise(resolve => {
                  const check = () => {
                    const rows = document.querySelectorAll('[role=row]');
                    const canvases = document.querySelectorAll('[role=row] canvas.wave');
                    if (location.search === '?q=hit' && rows.length > 0 && canvases.length === rows.length && [...canvases].every(c => c.dataset.drawn)) {
                      const at = performance.now();
                      const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
                      resolve({ at, bytes: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0), rows: rows.length });
                    } else requestAnimationFrame(check);
                  };
                  check();
                })
                """
            // The navigation may not have replaced the old page yet: wait for the new one first.
            guard try browser.wait(until: "location.search === '?q=hit' && document.readyState !== 'loading'") else { throw ValidationError("The page did not load.") }
            guard let result = try browser.evaluateAsync(shown) as? [String: Any] else { throw ValidationError("The first page did not show.") }
            return ((result["at"] as? Double) ?? 0, ((result["bytes"] as? Double) ?? 0) / 1024, (result["rows"] as? Int) ?? 0)
        }
        try browser.send("Network.enable")
        let cold = try firstPage(cold: true)
        let warm = try firstPage(cold: false)
        log("First page: cold \(cold.ms) ms, \(cold.kilobytes) KB; warm \(warm.ms) ms, \(warm.kilobytes) KB; \(cold.rows) rows shown.")

        // Auditions: the key's event time to the audio's `playing` event, both on the page's clock.
        try browser.evaluate("""
            window.benchAudition = [];
            document.addEventListener('keydown', e => { window.benchKeyAt = e.timeStamp; }, true);
            document.querySelector('audio').addEventListener('playing', e => { window.benchAudition.push(e.timeStamp - window.benchKeyAt); });
            document.querySelector('[role=searchbox]').focus();
            """)
        for index in 0..<auditions {
            try browser.press("ArrowDown")
            guard try browser.wait(until: "window.benchAudition.length > \(index)") else { throw ValidationError("Audition \(index + 1) did not start.") }
        }
        let starts = (try browser.evaluate("window.benchAudition") as? [Double]) ?? []
        let auditionStart = Percentiles(starts)
        log("Audition start p50 \(auditionStart.p50) ms, p99 \(auditionStart.p99) ms.")

        // Every row loaded (the list asks for more as it nears the end), then scrolled through.
        try browser.send("Page.navigate", ["url": web.base + "/"])
        guard try browser.wait(until: "location.search === '' && document.querySelectorAll('[role=row]').length > 0") else { throw ValidationError("The full list did not show.") }
        let total = rows + hits
        let loaded = """
            new Promise(resolve => {
              const list = document.querySelector('.results');
              const step = () => {
                const count = Number(document.querySelector('[role=grid]').getAttribute('aria-rowcount'));
                if (count >= \(total)) { list.scrollTop = 0; resolve(count); return; }
                list.scrollTop = list.scrollHeight;
                setTimeout(step, 20);
              };
              step();
            })
            """
        let rowsLoaded = (try browser.evaluateAsync(loaded) as? Int) ?? 0
        let scrolled = """
            new Promise(resolve => {
              const tasks = [];
              const observer = new PerformanceObserver(list => tasks.push(...list.getEntries().map(e => e.duration)));
              observer.observe({ type: 'longtask' });
              const list = document.querySelector('.results');
              const frame = () => {
                if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) {
                  setTimeout(() => { observer.disconnect(); resolve(tasks); }, 100);
                  return;
                }
                list.scrollTop += \(scrollStep);
                requestAnimationFrame(frame);
              };
              requestAnimationFrame(frame);
            })
            """
        let longTasks = (try browser.evaluateAsync(scrolled) as? [Double]) ?? []
        log("Scrolled \(rowsLoaded) rows: \(longTasks.count) long tasks, the longest \(longTasks.max() ?? 0) ms.")

        let report = Report(
            rows: total, firstPageColdMs: cold.ms, firstPageWarmMs: warm.ms, firstPageColdKilobytes: cold.kilobytes, firstPageWarmKilobytes: warm.kilobytes,
            rowsShownOnFirstPage: cold.rows, auditionStartMs: auditionStart, rowsLoadedForScrolling: rowsLoaded,
            scrollLongTasks: longTasks.count, scrollLongestTaskMs: longTasks.max() ?? 0
        )
        try printJSON(report)
    }
}
