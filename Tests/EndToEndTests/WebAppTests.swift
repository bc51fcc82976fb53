import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopSynth
import LoopTestSupport
import Testing

/// The web app in Debian's Chromium, over the DevTools protocol, against real loopweb and loopd
/// processes: what the page shows is checked against what loopd answers for the same query.
@Suite(.serialized) final class WebAppTests {
    let daemon = DaemonProcess()
    var web: SpawnedProcess?
    var base = ""
    static let password = "studio password"
    let artifacts = ProcessInfo.processInfo.environment["TEST_ARTIFACTS"] ?? ((BuiltProducts.packageRoot ?? NSTemporaryDirectory()) + "/.build/test-artifacts")

    init() throws {
        let rate = 44100
        func oneShot(_ path: String, _ sound: LoopPattern.OneShot, seed: UInt64) throws {
            try SignalWriter.write(path: daemon.folder.file("library/" + path), kind: .wav16, interleaved: sound.render(sampleRate: rate, seed: seed), sampleRate: rate)
        }
        func loop(_ path: String, _ pattern: LoopPattern, bpm: Double, kind: AudioFileKind = .wav16) throws {
            try SignalWriter.write(path: daemon.folder.file("library/" + path), kind: kind, interleaved: pattern.render(bpm: bpm, beats: 8, sampleRate: rate, seed: 7), sampleRate: rate)
        }
        try oneShot("Drums/Kick Hard.wav", .kick, seed: 1)
        try oneShot("Drums/Kick Soft.wav", .kick, seed: 2)
        try oneShot("Drums/Snare Tight.wav", .snare, seed: 3)
        try loop("Loops/Bass Loop 120 Am.wav", .rollingBass(root: 45), bpm: 120)
        try loop("Loops/Stabs 124 Cm.aiff", .stabs(root: 48), bpm: 124, kind: .aiff16)
        try loop("Loops/House Groove 128.wav", .house, bpm: 128)
        try daemon.start()
        try daemon.sync()
        #expect(try daemon.loopctl(["user", "add", "alice", "--role", "writer"], input: Self.password + "\n").status == 0)
        let web = try SpawnedProcess(
            try DaemonProcess.binary("loopweb"),
            ["--socket", daemon.socket, "--listen", "127.0.0.1:0", "--state-dir", daemon.folder.path + "/web"],
            environment: daemon.environment
        )
        self.web = web
        #expect(web.standardError.wait(timeout: 30) { $0.joined().contains("loopweb is serving") }, "loopweb did not start: \(web.standardError.all.joined())")
        let line = web.standardError.all.joined()
        if let start = line.range(of: "http://"), let end = line.range(of: "/api/v1/", range: start.upperBound..<line.endIndex) {
            base = String(line[start.lowerBound..<end.lowerBound])
        }
    }

    deinit {
        web?.terminate()
        _ = daemon.stop()
    }

    /// A browser on the app, logged in through its form.
    func loggedIn(as name: String = "alice", password: String = WebAppTests.password, screenshot: String? = nil) throws -> HeadlessBrowser {
        let browser = try HeadlessBrowser()
        try browser.open(base + "/")
        #expect(try browser.wait(until: "document.getElementById('login-name')"), "the login form shows")
        if let screenshot { try browser.screenshot(to: artifacts + "/" + screenshot) }
        try browser.evaluate("document.getElementById('login-name').focus()")
        try browser.type(name)
        try browser.evaluate("document.getElementById('login-password').focus()")
        try browser.type(password)
        try browser.evaluate("document.querySelector('form.login button').click()")
        #expect(try browser.wait(until: "document.querySelector('[role=searchbox]') && document.querySelectorAll('[role=row]').length > 0"), "the library shows after the login")
        return browser
    }

    /// The file names of the rows shown, in order (each row's accessible name begins with it).
    static let rowNames = "[...document.querySelectorAll('[role=row]')].map(row => row.getAttribute('aria-label').split(', ')[0])"

    /// The names loopd gives for `query`, in the order a search shows them.
    func expected(_ query: String) throws -> [String] {
        try daemon.search(query.isEmpty ? [] : [query]).map { ($0.path as NSString).lastPathComponent }
    }

    /// Waits until the rows shown are exactly `names` (in any order: ranking ties may differ).
    func expectRows(_ browser: HeadlessBrowser, _ names: [String], _ comment: Comment) throws {
        let literal = HeadlessBrowser.literal(names.sorted().joined(separator: "\n"))
        let shown = try browser.wait(until: "JSON.stringify(\(Self.rowNames).sort().join('\\n')) === JSON.stringify(\(literal))")
        let actual = try browser.evaluate(Self.rowNames) as? [String]
        let where_ = try browser.evaluate("location.search + ' / ' + document.querySelector('[role=status]')?.textContent") as? String
        #expect(shown, "\(comment): \(String(describing: actual)) instead of \(names) (at \(where_ ?? ""))")
    }

    @Test func logInSearchAsYouTypeAndEveryChip() throws {
        // A wrong password is one clear sentence on the form.
        let refused = try HeadlessBrowser()
        try refused.open(base + "/")
        #expect(try refused.wait(until: "document.getElementById('login-name')"))
        #expect(try refused.evaluate("document.getElementById('login-name').labels[0].textContent") as? String == "Username")
        #expect(try refused.evaluate("document.getElementById('login-password').labels[0].textContent") as? String == "Password")
        try refused.evaluate("document.getElementById('login-name').value = 'alice'; document.getElementById('login-password').value = 'wrong'; document.querySelector('form.login button').click()")
        #expect(try refused.wait(until: "document.getElementById('login-error').textContent.includes('wrong')"))

        let browser = try loggedIn(screenshot: "web-login.png")
        try expectRows(browser, try expected(""), "everything before a search")
        #expect(try browser.evaluate("document.getElementById('filter-everywhere') === null") as? Bool == true, "no catalogue, no switch to search every server")
        try browser.evaluate("document.querySelector('[role=searchbox]').focus()")
        try browser.type("kick")
        try expectRows(browser, try expected("kick"), "typing searches")
        #expect(try browser.evaluate("new URLSearchParams(location.search).get('q')") as? String == "kick", "the search is in the URL")
        try browser.evaluate("{ const box = document.querySelector('[role=searchbox]'); box.value = ''; box.dispatchEvent(new Event('input')); }")
        try expectRows(browser, try expected(""), "an empty search shows all")

        func select(_ label: String, _ value: String) throws {
            try browser.evaluate("{ const s = document.querySelector('select[aria-label=\(HeadlessBrowser.literal(label))]'); s.value = \(HeadlessBrowser.literal(value)); s.dispatchEvent(new Event('change')); }")
        }
        func enter(_ label: String, _ value: String) throws {
            try browser.evaluate("{ const i = document.querySelector('input[aria-label=\(HeadlessBrowser.literal(label))]'); i.value = \(HeadlessBrowser.literal(value)); i.dispatchEvent(new Event('change')); }")
        }
        func reset() throws {
            try browser.evaluate("[...document.querySelectorAll('.chip.reset')].forEach(b => b.click())")
            try expectRows(browser, try expected(""), "reset all")
        }
        try select("Type", "loop")
        try expectRows(browser, try expected("type:loop"), "the type chip")
        #expect(try browser.wait(until: "[...document.querySelectorAll('select[aria-label=Type] option')].some(o => /\\(\\d+\\)/.test(o.textContent))"), "facet counts beside the values")
        #expect(try browser.evaluate("document.querySelectorAll('.chip:not(.reset)').length") as? Int == 1, "an active chip to remove")
        try browser.evaluate("document.querySelector('.chip:not(.reset)').click()")
        try expectRows(browser, try expected(""), "removing the chip")
        try browser.evaluate("history.back()")
        try expectRows(browser, try expected("type:loop"), "the back button returns to the filter")
        try reset()
        try enter("BPM range", "118..122")
        try expectRows(browser, try expected("bpm:118..122"), "the BPM chip")
        try browser.evaluate("document.getElementById('filter-half').click()")
        try expectRows(browser, try daemon.search(["bpm:118..122", "--half-double"]).map { ($0.path as NSString).lastPathComponent }, "half and double time")
        try reset()
        let key = try #require(try daemon.search(["type:loop"]).compactMap(\.camelot).first, "a loop with a key")
        try browser.evaluate("document.querySelector('.key-button').click()")
        try browser.evaluate("[...document.querySelectorAll('.wheel button')].find(b => b.textContent.startsWith(\(HeadlessBrowser.literal(key + " ")))).click()")
        try expectRows(browser, try expected("key:\(key)"), "the key picked on the Camelot wheel")
        try browser.evaluate("document.getElementById('filter-compatible').click()")
        try expectRows(browser, try daemon.search(["key:\(key)", "--compatible"]).map { ($0.path as NSString).lastPathComponent }, "compatible keys")
        try reset()
        try select("Format", "aiff")
        try expectRows(browser, try expected("format:aiff"), "the format chip")
        try reset()
        try enter("Length in seconds", "<1")
        try expectRows(browser, try expected("dur:<1"), "the length chip")
        try reset()
        try select("Sort", "duration_desc")
        let longest = try daemon.search(["--sort", "duration", "--descending"]).map { ($0.path as NSString).lastPathComponent }
        #expect(try browser.wait(until: "JSON.stringify(\(Self.rowNames)) === JSON.stringify(\(HeadlessBrowser.literal(longest.joined(separator: "\n"))).split('\\n'))"), "sorted as loopd sorts")
        try browser.screenshot(to: artifacts + "/web-library.png")

        // The page runs on modules alone: no inline script or handler, so the CSP holds.
        #expect(try browser.evaluate("document.querySelectorAll('script:not([src])').length") as? Int == 0)
        #expect(try browser.evaluate("[...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on')))") as? Bool == false)
        let page = try ChildProcess.run("/usr/bin/curl", ["-s", "-D", "-", base + "/"])
        #expect(page.output.lowercased().contains("content-security-policy: default-src 'self'"), "\(page.output)")
    }

    @Test func keyboardAuditioningPlaysAndMoves() throws {
        let browser = try loggedIn()
        let first = try #require(try browser.evaluate("document.querySelector('[role=row]').dataset.id") as? String)
        let second = try #require(try browser.evaluate("document.querySelectorAll('[role=row]')[1].dataset.id") as? String)
        try browser.evaluate("document.querySelector('[role=searchbox]').focus()")
        try browser.press("ArrowDown")
        #expect(try browser.wait(until: "document.querySelector('audio').src.endsWith('/sounds/\(first)/preview') && document.querySelector('audio').currentTime > 0.05"), "arrow-down plays the first row, and its time advances")
        try browser.press("ArrowDown")
        #expect(try browser.wait(until: "document.querySelector('audio').src.endsWith('/sounds/\(second)/preview') && document.querySelector('audio').currentTime > 0.05"), "the next row plays")
        #expect(try browser.evaluate("document.querySelector('[role=row][aria-selected=true]').dataset.id") as? String == second)
        try browser.press(" ")
        #expect(try browser.wait(until: "document.querySelector('audio').paused"), "space pauses")
        try browser.press(" ")
        #expect(try browser.wait(until: "!document.querySelector('audio').paused"), "and plays again")
        try browser.press("ArrowLeft")
        #expect(try browser.wait(until: "document.querySelector('audio').paused && document.querySelector('audio').currentTime === 0"), "left stops")
        try browser.press("ArrowRight")
        #expect(try browser.wait(until: "!document.querySelector('audio').paused && document.querySelector('audio').currentTime > 0"), "right replays")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.row.playing .playhead')].some(p => parseFloat(p.style.left) > 0)"), "the playhead moves over the waveform")
        #expect(try browser.wait(until: "document.querySelectorAll('canvas.wave[data-drawn]').length > 0"), "waveforms are drawn from the stored peaks")
        // An AIFF plays through the API's decoded preview.
        try browser.evaluate("{ const box = document.querySelector('[role=searchbox]'); box.value = 'stabs'; box.dispatchEvent(new Event('input')); }")
        try expectRows(browser, ["Stabs 124 Cm.aiff"], "the AIFF")
        try browser.evaluate("document.querySelector('[role=row]').click()")
        #expect(try browser.wait(until: "document.querySelector('audio').currentTime > 0.05"), "an AIFF auditions (decoded to WAV)")
        #expect(try browser.wait(until: "document.querySelector('.detail') && document.querySelector('.detail').textContent.includes('Tempo')"), "the detail panel shows")
        try browser.screenshot(to: artifacts + "/web-audition.png")
    }

    @Test func favouriteAndCartZipMatchTheIndex() throws {
        let browser = try loggedIn()
        try browser.evaluate("document.querySelector('[role=row] .heart').click()")
        #expect(try browser.wait(until: "document.querySelector('[role=row] .heart').getAttribute('aria-pressed') === 'true'"), "the heart fills")
        let favourite = try #require(try browser.evaluate("document.querySelector('[role=row]').dataset.id") as? String)
        try browser.evaluate("document.getElementById('filter-fav').click()")
        #expect(try browser.wait(until: "document.querySelectorAll('[role=row]').length === 1 && document.querySelector('[role=row]').dataset.id === \(HeadlessBrowser.literal(favourite))"), "♥ only shows the favourite")
        try browser.evaluate("[...document.querySelectorAll('.chip.reset')].forEach(b => b.click())")
        #expect(try browser.wait(until: "document.querySelectorAll('[role=row]').length > 2"))

        try browser.evaluate("document.querySelectorAll('[role=row] .cart-add')[0].click()")
        #expect(try browser.wait(until: "document.querySelector('.count').textContent === '1'"))
        try browser.evaluate("document.querySelectorAll('[role=row] .cart-add')[1].click()")
        #expect(try browser.wait(until: "document.querySelector('.count').textContent === '2'"), "the cart counts what it holds")
        let ids = try #require(try browser.evaluate("[...document.querySelectorAll('[role=row]')].slice(0, 2).map(r => Number(r.dataset.id))") as? [Int])
        // The ZIP the cart's link gives, fetched by the page with its login.
        let fetched = try browser.evaluateAsync(
            "fetch(document.querySelector('a[download$=\".zip\"]').href).then(r => r.arrayBuffer()).then(b => { let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })"
        )
        let base64 = try #require(fetched as? String)
        let zip = daemon.folder.path + "/cart.zip"
        try #require(Data(base64Encoded: base64)).write(to: URL(fileURLWithPath: zip))
        let unpacked = daemon.folder.path + "/cart"
        #expect(try ChildProcess.run("/usr/bin/python3", ["-m", "zipfile", "-e", zip, unpacked]).status == 0)
        let records = try daemon.search().filter { ids.contains(Int($0.id)) }
        #expect(records.count == 2)
        for record in records {
            let name = (record.path as NSString).lastPathComponent
            #expect(try ContentHasher.sha256(path: unpacked + "/" + name) == record.hash, "\(name) in the ZIP has the index's bytes")
        }
    }

    @Test func anUploadShowsProgressAndAppearsLiveInAnotherPage() throws {
        let uploader = try loggedIn()
        let watcher = try loggedIn()
        let file = daemon.folder.path + "/laptop/Fresh Clap.wav"
        try FileManager.default.createDirectory(atPath: daemon.folder.path + "/laptop", withIntermediateDirectories: true)
        try SignalWriter.write(path: file, kind: .wav16, interleaved: LoopPattern.OneShot.snare.render(sampleRate: 44100, seed: 11), sampleRate: 44100)
        try uploader.choose(files: [file], for: "#upload-files")
        #expect(try uploader.wait(until: "document.querySelector('.uploads li[data-state=added] progress')?.value === 1"), "the file's progress reaches the end")
        #expect(try watcher.wait(until: "\(Self.rowNames).includes('Fresh Clap.wav')"), "the other page shows the new file as soon as it is indexed")
        let placed = daemon.folder.file("library/Uploads/Fresh Clap.wav")
        #expect(try ContentHasher.sha256(path: placed) == (try ContentHasher.sha256(path: file)))
        // The same bytes again: recognised by their hash, not sent.
        try uploader.choose(files: [file], for: "#upload-files")
        #expect(try uploader.wait(until: "document.querySelector('.uploads li[data-state=exists]')"), "a file the library has is recognised before sending")
        try uploader.screenshot(to: artifacts + "/web-upload.png")
    }

    @Test func aRowDragsOutItsFileWithASignedLink() throws {
        let browser = try loggedIn()
        try browser.evaluate("document.querySelector('[role=row]').click()")
        let drag = """
            (() => { const data = new DataTransfer();
              document.querySelector('[role=row]').dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
              return data.getData('DownloadURL'); })()
            """
        #expect(try browser.wait(until: "\(drag).includes('/links/')"), "the drag carries a signed link once the row is chosen")
        let value = try #require(try browser.evaluate(drag) as? String)
        let name = try #require(try browser.evaluate("document.querySelector('[role=row]').getAttribute('aria-label').split(', ')[0]") as? String)
        #expect(value.hasPrefix("audio/") && value.contains(":" + name + ":"), "\(value)")
        let start = try #require(value.range(of: "http")?.lowerBound)
        let url = String(value[start...])
        // The link works without a login, as a DAW fetches it.
        let fetched = try ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", url])
        #expect(fetched.output == "200")
    }

    @Test func aLoopAuditionsAtTheProjectsTempoAndKey() throws {
        let loop = try #require(try daemon.search(["bass", "type:loop"]).first, "the bass loop is typed a loop")
        let bpm = try #require(loop.bpm), duration = try #require(loop.duration)
        let source = try #require(loop.key.flatMap(MusicalKey.init(nameOrCamelot:)))
        let browser = try loggedIn()
        try browser.evaluate("{ const i = document.querySelector('.project-bpm'); i.value = '100'; i.dispatchEvent(new Event('change')); }")
        // Two semitones above the loop's own key, named as a Camelot code.
        let target = MusicalKey(pitchClass: (source.pitchClass + 2) % 12, isMinor: source.isMinor)
        try browser.evaluate("{ const s = document.querySelector('.project-key'); s.value = \(HeadlessBrowser.literal(target.camelot)); s.dispatchEvent(new Event('change')); }")
        try browser.evaluate("{ const box = document.querySelector('[role=searchbox]'); box.value = 'bass'; box.dispatchEvent(new Event('input')); }")
        try expectRows(browser, [(loop.path as NSString).lastPathComponent], "the bass loop")
        try browser.evaluate("document.querySelector('[role=row]').click()")
        let expected = duration * bpm / 100
        let lasts = try browser.wait(until: "Math.abs(document.querySelector('audio').duration - \(expected)) < 0.02 * \(expected) && document.querySelector('audio').currentTime > 0.05")
        let actual = try browser.evaluate("document.querySelector('audio').duration")
        #expect(lasts, "the preview lasts what \(bpm) BPM at 100 makes of \(duration) s: \(String(describing: actual))")
        #expect(try browser.evaluate("new URL(document.querySelector('audio').src).search") as? String == "?bpm=100&key=\(target.camelot)")
        let shift = try browser.evaluateAsync("fetch(document.querySelector('audio').src).then(r => r.headers.get('X-Transpose-Semitones') + ' ' + r.headers.get('X-Tempo-Ratio'))") as? String
        #expect(shift?.hasPrefix("2 ") == true, "two semitones up: \(shift ?? "-")")
        // The original stays one click away, and the rendered file downloads under its own name.
        #expect(try browser.evaluate("document.querySelector('[role=row] a.download').href.endsWith('/download')") as? Bool == true)
        #expect(try browser.evaluate("document.querySelector('[role=row] a.download-project').href.includes('download=1')") as? Bool == true)
        try browser.screenshot(to: artifacts + "/web-project.png")
    }

    @Test func anAdminInvitesSomeoneAndAnyoneMakesTheirOwnToken() throws {
        #expect(try daemon.loopctl(["user", "add", "ada", "--role", "admin"], input: "ada's password\n").status == 0)
        let admin = try loggedIn(as: "ada", password: "ada's password")
        try admin.evaluate("document.querySelector('nav button.account').click()")
        #expect(try admin.wait(until: "document.querySelector('table.accounts') && document.querySelector('table.accounts').textContent.includes('alice')"), "an admin sees the accounts")
        try admin.evaluate("document.getElementById('invite-name').value = 'carol'; document.getElementById('invite-role').value = 'writer'; document.querySelector('form.invite button').click()")
        #expect(try admin.wait(until: "document.getElementById('invite-link').value.includes('#invitation=')"), "the invitation's link is shown")
        let link = try #require(try admin.evaluate("document.getElementById('invite-link').value") as? String)
        try admin.screenshot(to: artifacts + "/web-accounts.png")

        // The link opens the app, which asks for a password and logs carol in.
        let invited = try HeadlessBrowser()
        try invited.open(link)
        #expect(try invited.wait(until: "document.getElementById('invite-password')"), "the invitation page asks for a password")
        try invited.evaluate("document.getElementById('invite-password').value = 'carol password'; document.getElementById('invite-again').value = 'carol password'; document.querySelector('form.login button').click()")
        #expect(try invited.wait(until: "document.querySelector('[role=searchbox]') && location.hash === ''"), "carol is in, and the token left the address bar")
        #expect(try invited.evaluateAsync("fetch('api/v1/session').then(r => r.json()).then(s => s.account.name + ' ' + s.account.role)") as? String == "carol writer")
        let again = try HeadlessBrowser()
        try again.open(link)
        #expect(try again.wait(until: "document.getElementById('invite-password')"))
        try again.evaluate("document.getElementById('invite-password').value = 'another one'; document.getElementById('invite-again').value = 'another one'; document.querySelector('form.login button').click()")
        #expect(try again.wait(until: "document.querySelector('[role=alert]').textContent.length > 0 && !document.querySelector('[role=searchbox]')"), "a link works once")

        // The admin gives carol another role and then removes her, from the accounts table.
        try admin.evaluate("document.querySelector('dialog.account-panel form[method=dialog] button').click(); document.querySelector('nav button.account').click()")
        let carolRole = "document.querySelector('tr[data-account=carol] select.role')"
        #expect(try admin.wait(until: carolRole), "carol is listed with her role to change")
        #expect(try admin.evaluate("document.querySelector('table.accounts').textContent.includes('admin (you)') && !document.querySelector('tr[data-account=ada]')") as? Bool == true, "the admin's own role is not offered")
        try admin.evaluate("{ const select = \(carolRole); select.value = 'reader'; select.dispatchEvent(new Event('change')); }")
        #expect(try admin.wait(until: "document.querySelector('.account-panel [role=status]').textContent === 'carol is a reader now.'"))
        #expect(try invited.evaluateAsync("fetch('api/v1/session').then(r => r.json()).then(s => s.account.role)") as? String == "reader", "in force at once")
        try admin.evaluate("window.confirm = () => true; document.querySelector('tr[data-account=carol] button.remove-account').click()")
        #expect(try admin.wait(until: "!document.querySelector('tr[data-account=carol]') && document.querySelector('.account-panel [role=status]').textContent === 'carol was removed.'"))
        #expect(try invited.evaluateAsync("fetch('api/v1/session').then(r => r.status)") as? Int == 401, "her session ended")

        // Anyone makes their own token; only admins see the accounts.
        let writer = try loggedIn()
        try writer.evaluate("document.querySelector('nav button.account').click()")
        #expect(try writer.evaluate("document.querySelector('table.accounts') === null") as? Bool == true, "a writer's panel has no accounts")
        #expect(try writer.evaluateAsync("fetch('api/v1/accounts').then(r => r.status)") as? Int == 403, "the API refuses a non-admin too")
        try writer.evaluate("document.getElementById('token-label').value = 'laptop'; [...document.querySelectorAll('dialog button')].find(b => b.textContent === 'Create token').click()")
        #expect(try writer.wait(until: "document.getElementById('token-shown').value.startsWith('olp_')"), "the token is shown once")
        let token = try #require(try writer.evaluate("document.getElementById('token-shown').value") as? String)
        let used = try ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer " + token, base + "/api/v1/sounds?q=kick"])
        #expect(used.output == "200", "the token works")
    }

    @Test func aLargeUploadResumesWhereItStoppedAfterTheConnectionComesBack() throws {
        let file = daemon.folder.path + "/laptop/Long Take.wav"
        try FileManager.default.createDirectory(atPath: daemon.folder.path + "/laptop", withIntermediateDirectories: true)
        try SignalWriter.write(path: file, kind: .wav16, signal: .noise(amplitude: 0.3, seed: 21), duration: 60, sampleRate: 44100, channels: 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let sha = try ContentHasher.sha256(path: file)
        // An earlier visit sent the first 4 MiB, then the connection dropped.
        let token = try daemon.loopctl(["token", "create", "alice"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let started = try ChildProcess.run("/usr/bin/curl", ["-s", "-X", "POST", "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json",
                                                             "--data-binary", #"{"name":"Long Take.wav","size":\#(bytes.count),"sha256":"\#(sha)","folder":"Uploads"}"#, base + "/api/v1/uploads/sessions"])
        let session = try #require(try JSONSerialization.jsonObject(with: Data(started.output.utf8)) as? [String: Any])
        let url = try #require(session["url"] as? String, "\(started.output)")
        let first = daemon.folder.path + "/first-piece"
        try bytes.prefix(4 << 20).write(to: URL(fileURLWithPath: first))
        let sent = try ChildProcess.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH", "-H", "Authorization: Bearer " + token,
                                                          "-H", "Upload-Offset: 0", "-H", "Content-Type: application/offset+octet-stream", "--data-binary", "@" + first, url])
        #expect(sent.output == "200")

        let browser = try loggedIn()
        try browser.evaluate("localStorage.setItem('openloop.uploads', JSON.stringify({ \(HeadlessBrowser.literal(sha)): \(HeadlessBrowser.literal(url)) }))")
        try browser.send("Network.enable")
        try browser.send("Network.emulateNetworkConditions", ["offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1])
        try browser.choose(files: [file], for: "#upload-files")
        #expect(try browser.wait(until: "document.querySelector('.uploads li[data-state=waiting]')", seconds: 30), "offline, the page waits for the connection")
        try browser.send("Network.emulateNetworkConditions", ["offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1])
        #expect(try browser.wait(until: "document.querySelector('.uploads li[data-state=added]')", seconds: 180), "back online, it finishes (a bound only: under load the last piece waits for loopd to index the file)")
        #expect(try browser.evaluate("document.querySelector('.uploads li').dataset.resumedFrom") as? String == String(4 << 20), "from where the server says the bytes stopped")
        let placed = daemon.folder.file("library/Uploads/Long Take.wav")
        #expect(try ContentHasher.sha256(path: placed) == sha, "the library holds exactly the file")
        #expect(try browser.evaluate("localStorage.getItem('openloop.uploads')") as? String == "{}", "the finished upload is forgotten")
    }

    @Test func collectionsAreMadeFilledShownAndZippedFromThePage() throws {
        let browser = try loggedIn()
        try browser.evaluate("document.querySelector('nav button.collections').click()")
        try browser.evaluate("document.getElementById('collection-name').value = 'Set A'; document.querySelector('form.new-collection button').click()")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.collection-name')].some(n => n.textContent === 'Set A')"), "the new collection is listed")
        try browser.evaluate("[...document.querySelectorAll('dialog.collections-panel button')].find(b => b.textContent === 'Close').click()")
        let chosen = try #require(try browser.evaluate("document.querySelector('[role=row]').getAttribute('aria-label').split(', ')[0]") as? String)
        try browser.evaluate("document.querySelector('[role=row]').click()")
        #expect(try browser.wait(until: "[...document.querySelectorAll('select[aria-label=\"Collection to add to\"] option')].some(o => o.value === 'Set A')"))
        try browser.evaluate("{ const s = document.querySelector('select[aria-label=\"Collection to add to\"]'); s.value = 'Set A'; document.querySelector('.add-to-collection button').click(); }")
        #expect(try browser.wait(until: "document.querySelector('.add-to-collection [role=status]').textContent.includes('added to Set A')"), "the sound is added from its details")
        try browser.evaluate("document.querySelector('nav button.collections').click()")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.collection-list li')].some(li => li.textContent.includes('Set A 1 sound'))"), "the list counts it")
        #expect(try browser.evaluate("[...document.querySelectorAll('.collection-list a')].find(a => a.href.includes('Set%20A')).href.endsWith('/collections/Set%20A/zip')") as? Bool == true)
        try browser.evaluate("[...document.querySelectorAll('.collection-list li')].find(li => li.textContent.includes('Set A')).querySelector('button').click()")
        try expectRows(browser, [chosen], "showing the collection")
        #expect(try browser.evaluate("new URLSearchParams(location.search).get('coll')") as? String == "Set A", "in the URL too")
        #expect(try browser.evaluate("[...document.querySelectorAll('.chip')].some(c => c.textContent.startsWith('Collection: Set A'))") as? Bool == true)
    }

    @Test func aCollectionIsArrangedFromThePage() throws {
        let browser = try loggedIn()
        // Filled through the page's own API module (filling from the page is tested above).
        let filled = try browser.evaluateAsync("""
            (async () => {
              const href = [...document.querySelectorAll('link[rel=modulepreload]')].find((link) => link.href.endsWith('/api.js')).href;
              const { api } = await import(href);
              await api.createCollection('Set B');
              const page = await api.search({ page_size: 3, sort: 'name_asc' });
              for (const sound of page.results) await api.addToCollection('Set B', sound.id);
              return page.results.map((sound) => String(sound.id));
            })()
            """) as? [String]
        let ids = try #require(filled)
        try #require(ids.count == 3)
        func order(_ expected: [String], _ comment: Comment) throws {
            let literal = HeadlessBrowser.literal(expected.joined(separator: ","))
            let shown = try browser.wait(until: "[...document.querySelectorAll('.arrange-list li')].map((li) => li.dataset.id).join(',') === \(literal)")
            let actual = try browser.evaluate("[...document.querySelectorAll('.arrange-list li')].map((li) => li.dataset.id).join(',')") as? String
            #expect(shown, "\(comment): \(actual ?? "") instead of \(expected)")
        }
        try browser.evaluate("document.querySelector('nav button.collections').click()")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.collection-list li')].some((li) => li.textContent.includes('Set B 3 sounds'))"))
        try browser.evaluate("[...document.querySelectorAll('.collection-list li')].find((li) => li.textContent.includes('Set B')).querySelector('.arrange-open').click()")
        try order(ids, "in the order added")

        // From the keyboard: the first one down, and the focus follows it.
        try browser.evaluate("document.querySelector('.arrange-list li .down').focus(); document.activeElement.click()")
        try order([ids[1], ids[0], ids[2]], "one place down")
        #expect(try browser.wait(until: "document.activeElement?.closest('li')?.dataset.id === \(HeadlessBrowser.literal(ids[0]))"), "the focus stays on the moved sound")
        #expect(try browser.evaluate("document.querySelector('.arrange-list li .up').disabled") as? Bool == true, "the first cannot go up")

        // Dragged: the last onto the first goes before it.
        try browser.evaluate("""
            { const items = [...document.querySelectorAll('.arrange-list li')]; const data = new DataTransfer();
              items[2].dispatchEvent(new DragEvent('dragstart', { dataTransfer: data, bubbles: true }));
              items[0].dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
              items[0].dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })); }
            """)
        try order([ids[2], ids[1], ids[0]], "dragged to the top")
        let kept = try browser.evaluateAsync("""
            (async () => {
              const response = await fetch('api/v1/collections/Set%20B', { credentials: 'same-origin' });
              return (await response.json()).results.map((sound) => String(sound.id)).join(',');
            })()
            """) as? String
        #expect(kept == [ids[2], ids[1], ids[0]].joined(separator: ","), "the server keeps the order the page shows")

        try browser.evaluate("document.querySelector('.arrange-list li .remove').click()")
        try order([ids[1], ids[0]], "taken out")
        try browser.evaluate("document.querySelector('.arrange .back').click()")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.collection-list li')].some((li) => li.textContent.includes('Set B 2 sounds'))"), "back in the list, counted again")

        // Shared from the list by its owner (a writer), and made private again.
        let setB = "[...document.querySelectorAll('.collection-list li')].find((li) => li.textContent.includes('Set B'))"
        try browser.evaluate("\(setB).querySelector('button.share').click()")
        #expect(try browser.wait(until: "\(setB).textContent.includes('2 sounds, shared') && \(setB).querySelector('button.share').textContent === 'Make private'"), "shared")
        try browser.evaluate("\(setB).querySelector('button.share').click()")
        #expect(try browser.wait(until: "!\(setB).textContent.includes('shared') && \(setB).querySelector('button.share').textContent === 'Share'"), "private again")
    }

    @Test func theUploadsPieceByPieceHashAgreesWithWebCrypto() throws {
        let browser = try HeadlessBrowser()
        try browser.open(base + "/")
        #expect(try browser.wait(until: "document.querySelector('link[rel=modulepreload][href$=\"/sha256.js\"]')"))
        // Every length around the 55/56/64-byte padding edges, and pieces that split blocks anywhere.
        let mismatches = try browser.evaluateAsync("""
            (async () => {
              const { Sha256, sha256OfFile } = await import(document.querySelector('link[rel=modulepreload][href$="/sha256.js"]').href);
              const hex = (buffer) => [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
              let seed = 7;
              const random = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 16; };
              const wrong = [];
              for (const length of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 65536, 1000003]) {
                const bytes = new Uint8Array(length).map(() => random() & 255);
                const expected = hex(await crypto.subtle.digest('SHA-256', bytes));
                const hash = new Sha256();
                for (let offset = 0; offset < length;) {
                  const step = 1 + (random() % 200);
                  hash.update(bytes.subarray(offset, offset + step));
                  offset += step;
                }
                if (hash.hex() !== expected) wrong.push(`${length} bytes in pieces`);
                const whole = new Sha256();
                whole.update(bytes);
                if (whole.hex() !== expected) wrong.push(`${length} bytes at once`);
                if (await sha256OfFile(new Blob([bytes]), { pieceBytes: 4099 }) !== expected) wrong.push(`${length} bytes of a file`);
              }
              return wrong.join(', ');
            })()
            """) as? String
        #expect(mismatches == "", "differs from WebCrypto for \(mismatches ?? "nothing returned")")
        // Figures, not checks: how fast the page hashes in memory, and from a file in 4 MB pieces.
        let rates = try browser.evaluateAsync("""
            (async () => {
              const { Sha256, sha256OfFile } = await import(document.querySelector('link[rel=modulepreload][href$="/sha256.js"]').href);
              const bytes = new Uint8Array(32 * 1024 * 1024).fill(90);
              let start = performance.now();
              const hash = new Sha256();
              hash.update(bytes);
              hash.hex();
              const inMemory = 32 / ((performance.now() - start) / 1000);
              start = performance.now();
              await sha256OfFile(new Blob([bytes]));
              const fromFile = 32 / ((performance.now() - start) / 1000);
              start = performance.now();
              await crypto.subtle.digest('SHA-256', bytes);
              const webCrypto = 32 / ((performance.now() - start) / 1000);
              return `${Math.round(inMemory)} MB/s in memory, ${Math.round(fromFile)} MB/s from a file in pieces; WebCrypto whole: ${Math.round(webCrypto)} MB/s`;
            })()
            """) as? String
        print("WebAppTests: SHA-256 in the page's JavaScript: \(rates ?? "?")")
    }

    @Test func marksGatherSoundsForTheCartAndACollection() throws {
        let browser = try loggedIn()
        #expect(try browser.wait(until: "document.querySelectorAll('[role=row]').length >= 4"))
        let ids = try #require(try browser.evaluate("[...document.querySelectorAll('[role=row]')].slice(0, 4).map((row) => row.dataset.id)") as? [String])
        let marked = "[...document.querySelectorAll('[role=row].marked')].map((row) => row.dataset.id).sort().join(',')"
        func click(_ index: Int, _ modifier: String) throws {
            try browser.evaluate("document.querySelectorAll('[role=row]')[\(index)].dispatchEvent(new MouseEvent('click', { bubbles: true, \(modifier): true }))")
        }
        // A plain click, then shift to the third: three marked.
        try browser.evaluate("document.querySelector('[role=row]').click()")
        #expect(try browser.evaluate("document.querySelector('.marked-bar').hidden") as? Bool == true, "nothing marked, no bar")
        try click(2, "shiftKey")
        #expect(try browser.wait(until: "\(marked) === \(HeadlessBrowser.literal([ids[0], ids[1], ids[2]].sorted().joined(separator: ",")))"), "a range")
        #expect(try browser.evaluate("document.querySelector('.marked-count').textContent") as? String == "3 marked")
        // Shift and an arrow from the keyboard marks on; ctrl unmarks the second.
        try browser.press("ArrowDown", modifiers: 8)
        #expect(try browser.wait(until: "\(marked) === \(HeadlessBrowser.literal(ids.sorted().joined(separator: ",")))"), "shift and down")
        #expect(try browser.evaluate("document.activeElement?.dataset.id") as? String == ids[3], "the focus moved on")
        try click(1, "ctrlKey")
        #expect(try browser.wait(until: "\(marked) === \(HeadlessBrowser.literal([ids[0], ids[2], ids[3]].sorted().joined(separator: ",")))"), "one taken out")
        #expect(try browser.evaluate("document.querySelector('.marked-count').textContent") as? String == "3 marked")

        // All three into the cart at once, which is made for it; the cart's count follows.
        try browser.evaluate("document.querySelector('.marked-cart').click()")
        #expect(try browser.wait(until: "document.querySelector('.marked-bar [role=status]').textContent.includes('3 added to Cart')"))
        #expect(try browser.wait(until: "document.querySelector('nav .count').textContent === '3'"), "the cart counts them")
        let cart = try browser.evaluateAsync("fetch('api/v1/collections/Cart').then((r) => r.json()).then((c) => c.results.map((s) => s.id).sort().join(','))") as? String
        #expect(cart == [ids[0], ids[2], ids[3]].sorted().joined(separator: ","))
        try browser.evaluate("document.querySelector('.marked-cart').click()")
        #expect(try browser.wait(until: "document.querySelector('.marked-bar [role=status]').textContent.includes('0 added to Cart (3 already in it)')"))

        // Or into a collection chosen in the bar.
        #expect(try browser.evaluateAsync("fetch('api/v1/session').then((r) => r.json()).then((s) => fetch('api/v1/collections', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf }, body: JSON.stringify({ name: 'Set M' }) })).then((r) => r.status)") as? Int == 201)
        try click(0, "ctrlKey")
        try click(0, "ctrlKey")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.marked-bar select option')].some((option) => option.value === 'Set M')"), "the bar lists the collections when marks appear")
        try browser.evaluate("document.querySelector('.marked-bar select').value = 'Set M'; document.querySelector('.marked-collection').click()")
        #expect(try browser.wait(until: "document.querySelector('.marked-bar [role=status]').textContent.includes('3 added to Set M')"))

        // Escape drops the marks, and the bar goes.
        try browser.evaluate("document.querySelectorAll('[role=row]')[3].focus()")
        try browser.press("Escape")
        #expect(try browser.wait(until: "document.querySelector('.marked-bar').hidden && document.querySelectorAll('[role=row].marked').length === 0"))
    }
}
