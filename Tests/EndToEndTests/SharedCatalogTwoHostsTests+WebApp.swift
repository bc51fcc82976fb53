import Foundation
import LoopSynth
import LoopTestSupport
import Testing

extension SharedCatalogTwoHostsTests {
    /// The web app of the friend's server in Chromium searches every server: the studio's sound is
    /// listed with its host, plays through the friend's server, its heart is a favourite in the
    /// catalogue, which the page shows again after a reload and "♥ only" finds, and it goes into a
    /// catalogue collection, which shows as the results.
    @Test func theWebAppSearchesEveryServerAndHeartsItsSounds() throws {
        let friendWeb = try #require(friendWeb)
        try SignalWriter.write(path: studio.folder.file("library/Loops/Misty Keys.wav"), kind: .wav16,
                               signal: .sine(frequency: 440, amplitude: 0.4), duration: 1, sampleRate: 44100, channels: 2)
        try SignalWriter.write(path: friend.folder.file("library/Loops/Misty Drums.wav"), kind: .wav16,
                               signal: .noise(amplitude: 0.3, seed: 5), duration: 1, sampleRate: 44100, channels: 2)
        #expect(eventually { try everywhere("misty").count == 2 })
        #expect(try friend.loopctl(["user", "add", "carol", "--role", "reader"], input: "carol's password\n").status == 0)
        let carol = try friend.loopctl(["token", "create", "carol"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let browser = try HeadlessBrowser()
        try browser.open(friendWeb.base + "/")
        #expect(try browser.wait(until: "document.getElementById('login-name')"), "the login form shows")
        try browser.evaluate("document.getElementById('login-name').focus()")
        try browser.type("carol")
        try browser.evaluate("document.getElementById('login-password').focus()")
        try browser.type("carol's password")
        try browser.evaluate("document.querySelector('form.login button').click()")
        #expect(try browser.wait(until: "document.querySelector('[role=searchbox]') && document.getElementById('filter-everywhere')"),
                "a server with a catalogue offers to search every server")

        // The switch searches every server; the rows name their hosts.
        try browser.evaluate("document.querySelector('[role=searchbox]').focus()")
        try browser.type("misty")
        try browser.evaluate("document.getElementById('filter-everywhere').click()")
        let rows = "[...document.querySelectorAll('[role=row]')]"
        let keys = "\(rows).find((row) => row.getAttribute('aria-label').startsWith('Misty Keys'))"
        let listed = try browser.wait(until: "\(rows).length === 2 && \(keys)?.querySelector('small').textContent.startsWith('studio')")
        let shown = try browser.evaluate("\(rows).map((row) => row.textContent)")
        #expect(listed, "both hosts' sounds are listed, the studio's as such: \(String(describing: shown))")
        #expect(try browser.evaluate("location.search.includes('everywhere=1')") as? Bool == true, "the URL keeps the switch")
        #expect(try browser.evaluate("\(keys).querySelector('.cart-add') === null") as? Bool == true, "another server's sound does not go in this server's cart")

        // It plays through this server.
        try browser.evaluate("\(keys).click()")
        #expect(try browser.wait(until: "document.querySelector('audio').src.includes('/api/v1/hosts/studio/sounds/') && document.querySelector('audio').currentTime > 0.05"),
                "the studio's sound plays through the friend's server")

        // Its heart is carol's favourite in the catalogue, shown again in a new page.
        try browser.evaluate("\(keys).querySelector('.heart').click()")
        #expect(try browser.wait(until: "\(keys).querySelector('.heart').getAttribute('aria-pressed') === 'true'"))
        let favourites = try friendWeb.get("/api/v1/favourites?everywhere=true", token: carol)
        let names = (favourites.json?["results"] as? [[String: Any]] ?? []).map { "\($0["host"] ?? ""):\($0["name"] ?? "")" }
        #expect(names == ["studio:Misty Keys.wav"], "\(favourites.detail)")
        // A new tab on the same address, with the same login (reloading this one races the evaluation).
        let address = try #require(try browser.evaluate("location.href") as? String)
        try browser.open(address)
        #expect(try browser.wait(until: "\(keys)?.querySelector('.heart').getAttribute('aria-pressed') === 'true' && \(rows).length === 2"),
                "the heart comes from the catalogue")

        // "♥ only" on every server lists carol's favourites in the catalogue.
        try browser.evaluate("document.getElementById('filter-fav').click()")
        #expect(try browser.wait(until: "\(rows).length === 1 && \(keys) !== undefined"), "only the hearted sound is listed")
        try browser.evaluate("document.getElementById('filter-fav').click()")
        #expect(try browser.wait(until: "\(rows).length === 2"))

        // A collection made in the panel while searching every server is the catalogue's: it takes
        // the studio's sound from its detail panel and shows as the results.
        try browser.evaluate("document.querySelector('button.collections').click()")
        #expect(try browser.wait(until: "document.getElementById('collections-title').textContent === 'Collections on every server'"))
        try browser.evaluate("document.getElementById('collection-name').value = 'Keepers'; document.querySelector('form.new-collection button[type=submit]').click()")
        let keepers = "[...document.querySelectorAll('.collection-list li')].find((item) => item.querySelector('.collection-name').textContent === 'Keepers')"
        #expect(try browser.wait(until: "\(keepers) !== undefined && \(keepers).querySelector('a.button') === null"), "listed, and with no ZIP: its sounds live on several servers")
        try browser.evaluate("document.querySelector('dialog.collections-panel').close()")
        try browser.evaluate("\(keys).click()")
        #expect(try browser.wait(until: "[...document.querySelectorAll('.add-to-collection option')].some((option) => option.value === 'Keepers')"),
                "the studio's sound can go into carol's catalogue collections")
        try browser.evaluate("document.querySelector('.add-to-collection select').value = 'Keepers'; document.querySelector('.add-to-collection button').click()")
        #expect(try browser.wait(until: "document.querySelector('.add-to-collection .status').textContent.includes('added to Keepers')"))
        let kept = try friendWeb.get("/api/v1/collections/Keepers?everywhere=true", token: carol)
        let keptNames = (kept.json?["results"] as? [[String: Any]] ?? []).map { "\($0["host"] ?? ""):\($0["name"] ?? "")" }
        #expect(keptNames == ["studio:Misty Keys.wav"], "\(kept.detail)")
        try browser.evaluate("document.querySelector('button.collections').click()")
        #expect(try browser.wait(until: "\(keepers)?.textContent.includes('1 sound')"))
        try browser.evaluate("\(keepers).querySelector('button').click()")
        #expect(try browser.wait(until: "\(rows).length === 1 && \(keys) !== undefined && location.search.includes('coll=Keepers')"),
                "the collection shows as the results, searched on every server")
    }
}
