#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopAPI
import LoopTestSupport
import Testing

/// Logins, invitations and the account's own library data over the web (the same real loopd and
/// loopweb as WebTests).
extension WebTests {
    /// Logs in and returns the session cookie's value and the CSRF token.
    func logIn(_ name: String, _ password: String) throws -> (cookie: String, csrf: String) {
        let reply = try curl("/api/v1/session", method: "POST", json: #"{"name": "\#(name)", "password": "\#(password)"}"#)
        #expect(reply.status == 200, "\(reply.text)")
        let setCookie = reply.headers["set-cookie"] ?? ""
        let value = setCookie.split(separator: ";").first.map { String($0.dropFirst("loopweb_session=".count)) } ?? ""
        return (value, reply.json?["csrf"] as? String ?? "")
    }

    @Test func aLoginGivesACookieAndChangesNeedItsCSRFToken() throws {
        let form = try curl("/api/v1/session", headers: ["Content-Type: application/x-www-form-urlencoded"], method: "POST", upload: nil)
        #expect(form.status == 415, "a login is JSON only (a form from another site cannot send it)")
        let wrong = try curl("/api/v1/session", method: "POST", json: #"{"name": "alice", "password": "not it at all"}"#)
        #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil)
        let unknown = try curl("/api/v1/session", method: "POST", json: #"{"name": "zed", "password": "not it at all"}"#)
        #expect(unknown.status == 401 && unknown.json?["detail"] as? String == wrong.json?["detail"] as? String, "an unknown name reads as a wrong password")
        #expect(try curl("/api/v1/session", method: "POST", json: #"{"name": "walt", "password": "anything long"}"#).status == 401, "an account without a password cannot log in")

        let reply = try curl("/api/v1/session", method: "POST", json: #"{"name": "alice", "password": "\#(Self.alicePassword)"}"#)
        #expect(reply.status == 200, "\(reply.text)")
        let setCookie = try #require(reply.headers["set-cookie"])
        for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] { #expect(setCookie.contains(flag), "\(setCookie)") }
        #expect((reply.json?["account"] as? [String: Any])?["role"] as? String == "reader")
        #expect(reply.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        let (cookie, csrf) = try logIn("alice", Self.alicePassword)
        #expect(!cookie.isEmpty && !csrf.isEmpty)
        let search = try curl("/api/v1/sounds", headers: ["Cookie: loopweb_session=" + cookie])
        #expect(search.status == 200, "the cookie is a login")
        let noToken = try curl("/api/v1/sounds/\(id)/download/link", headers: ["Cookie: loopweb_session=" + cookie], method: "POST")
        #expect(noToken.status == 403, "a change with the cookie alone is refused: \(noToken.text)")
        let forged = try curl("/api/v1/sounds/\(id)/download/link", headers: ["Cookie: loopweb_session=" + cookie, "X-CSRF-Token: " + csrf.dropLast() + (csrf.hasSuffix("A") ? "B" : "A")], method: "POST")
        #expect(forged.status == 403)
        let made = try curl("/api/v1/sounds/\(id)/download/link", headers: ["Cookie: loopweb_session=" + cookie, "X-CSRF-Token: " + csrf], method: "POST")
        #expect(made.status == 201, "\(made.text)")
        let me = try curl("/api/v1/session", headers: ["Cookie: loopweb_session=" + cookie])
        #expect(me.json?["csrf"] as? String == csrf && (me.json?["account"] as? [String: Any])?["name"] as? String == "alice")
        #expect(try curl("/api/v1/sounds", headers: ["Cookie: loopweb_session=olps_madeup"]).status == 401)
        #expect(try curl("/api/v1/sounds", headers: ["Cookie: loopweb_session=" + String(repeating: "x", count: 3000)]).status == 401)
        // The index keeps no session token, only its hash.
        let index = try String(decoding: Data(contentsOf: URL(fileURLWithPath: daemon.stateDirectory + "/index.sqlite")), as: UTF8.self)
        #expect(!index.contains(cookie) && !index.contains(Self.alicePassword))
    }

    @Test func aLoginSurvivesARestartOfLoopwebAndEndsAtLogout() throws {
        let (cookie, csrf) = try logIn("alice", Self.alicePassword)
        _ = web?.terminate()
        try startWeb()
        #expect(try curl("/api/v1/sounds", headers: ["Cookie: loopweb_session=" + cookie]).status == 200, "sessions are kept by loopd, in SQLite")
        #expect(try curl("/api/v1/session", headers: ["Cookie: loopweb_session=" + cookie], method: "DELETE").status == 403, "logging out needs the CSRF token too")
        let out = try curl("/api/v1/session", headers: ["Cookie: loopweb_session=" + cookie, "X-CSRF-Token: " + csrf], method: "DELETE")
        #expect(out.status == 204 && out.headers["set-cookie"]?.contains("Max-Age=0") == true)
        #expect(try curl("/api/v1/sounds", headers: ["Cookie: loopweb_session=" + cookie]).status == 401, "the session has ended")
        #expect(try curl("/api/v1/session", token: token, method: "DELETE").status == 400, "a token is not a login to end")
    }

    @Test func aTrustedProxysIdentityHeaderLogsInItsAccountAndNoOneElses() throws {
        #expect(try daemon.loopctl(["user", "add", "carol@example.org", "--role", "writer", "--no-password"]).status == 0)
        let header = "Cf-Access-Authenticated-User-Email"
        // A proxy that is not the peer: the header is not believed.
        web?.terminate()
        try startWeb(["--trusted-proxy", "192.0.2.1", "--identity-header", header])
        #expect(try curl("/api/v1/sounds", headers: ["\(header): carol@example.org"]).status == 401)
        // Behind the proxy (the peer here is 127.0.0.1).
        web?.terminate()
        try startWeb(["--trusted-proxy", "127.0.0.1", "--identity-header", header])
        let carol = ["\(header): Carol@Example.org"]
        #expect(try curl("/api/v1/sounds", headers: carol).status == 200)
        let unknown = try curl("/api/v1/sounds", headers: ["\(header): mallory@example.org"])
        #expect(unknown.status == 401 && unknown.text.contains("loopctl user add"), "\(unknown.text)")
        #expect(try curl("/api/v1/sounds", headers: ["\(header): ../../etc/passwd"]).status == 401)
        // Changes need the CSRF token, as with a cookie: the browser sends the proxy's credential by itself.
        #expect(try curl("/api/v1/sounds/\(id)/favourite", headers: carol, method: "PUT").status == 403)
        let session = try curl("/api/v1/session", headers: carol)
        let csrf = try #require(session.json?["csrf"] as? String)
        #expect((session.json?["account"] as? [String: Any])?["name"] as? String == "carol@example.org")
        #expect(try curl("/api/v1/sounds/\(id)/favourite", headers: carol + ["X-CSRF-Token: " + csrf], method: "PUT").status == 200)
        let favourites = try curl("/api/v1/favourites", headers: carol)
        #expect((favourites.json?["results"] as? [[String: Any]])?.count == 1, "\(favourites.text)")
        let alices = try curl("/api/v1/favourites", token: token)
        #expect((alices.json?["results"] as? [[String: Any]])?.isEmpty == true, "carol's favourite is hers: \(alices.text)")
    }

    @Test func failedLoginsAreLimited() throws {
        for attempt in 1...10 {
            let reply = try curl("/api/v1/session", method: "POST", json: #"{"name": "alice", "password": "guess number \#(attempt)"}"#)
            #expect(reply.status == 401, "attempt \(attempt): \(reply.status)")
        }
        let limited = try curl("/api/v1/session", method: "POST", json: #"{"name": "alice", "password": "\#(Self.alicePassword)"}"#)
        #expect(limited.status == 429, "even the right password waits: \(limited.text)")
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 > 0)
    }

    @Test func anInvitationMakesAnAccountOnce() throws {
        let invited = try daemon.loopctl(["user", "invite", "carol", "--role", "writer", "--url", "https://loops.example"])
        #expect(invited.status == 0, "\(invited.stderr)")
        let link = invited.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(link.hasPrefix("https://loops.example/invite/olpi_"))
        let invitation = String(link.dropFirst("https://loops.example/invite/".count))
        #expect(try curl("/api/v1/invitations/" + invitation, method: "POST", json: #"{"password": "short"}"#).status == 400)
        let accepted = try curl("/api/v1/invitations/" + invitation, method: "POST", json: #"{"password": "carol's new password"}"#)
        #expect(accepted.status == 201 && accepted.headers["set-cookie"]?.contains("loopweb_session=olps_") == true, "\(accepted.text)")
        #expect((accepted.json?["account"] as? [String: Any])?["role"] as? String == "writer")
        #expect(try curl("/api/v1/invitations/" + invitation, method: "POST", json: #"{"password": "carol's new password"}"#).status == 404, "used once")
        #expect(try curl("/api/v1/invitations/olpi_madeup", method: "POST", json: #"{"password": "a long password"}"#).status == 404)
        _ = try logIn("carol", "carol's new password")
        let again = try daemon.loopctl(["user", "invite", "carol"])
        #expect(again.status != 0 && again.stderr.contains("Already exists"), "\(again.stderr)")
    }

    @Test func favouritesAndCollectionsAreTheAccountsOwn() throws {
        #expect(try curl("/api/v1/sounds/\(id)/favourite", token: token, method: "PUT").json?["favourite"] as? Bool == true)
        let mine = try curl("/api/v1/favourites", token: token)
        #expect(((mine.json?["results"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value == id, "\(mine.text)")
        #expect((try curl("/api/v1/sounds/\(id)", token: token)).json?["favourite"] as? Bool == true)
        #expect((try curl("/api/v1/favourites", token: writerToken)).json?["count"] as? NSNumber == 0, "walt's favourites are his own")
        #expect((try curl("/api/v1/sounds/\(id)", token: writerToken)).json?["favourite"] as? Bool == false)
        // loopd recorded who did it.
        let activity = try daemon.loopctlJSON(["user", "activity", "alice"], as: [AccountActivity].self)
        #expect(activity.first?.action == "favourite" && activity.first?.detail?.contains("\(id)") == true)

        #expect(try curl("/api/v1/sounds/\(id)/tags", token: token, method: "POST", json: #"{"add": ["dark"]}"#).status == 403, "a reader does not tag")
        let tagged = try curl("/api/v1/sounds/\(id)/tags", token: writerToken, method: "POST", json: #"{"add": ["dark"]}"#)
        #expect(tagged.status == 200 && (tagged.json?["tags"] as? [String])?.contains("dark") == true, "\(tagged.text)")

        #expect(try curl("/api/v1/collections", token: token, method: "POST", json: #"{"name": "Shared", "shared": true}"#).status == 403)
        let cart = try curl("/api/v1/collections", token: token, method: "POST", json: #"{"name": "Cart ☃"}"#)
        #expect(cart.status == 201 && cart.json?["owner"] as? String == "alice", "\(cart.text)")
        #expect(try curl("/api/v1/collections", token: token, method: "POST", json: #"{"name": "cart ☃"}"#).status == 409)
        let cartPath = "/api/v1/collections/Cart%20%E2%98%83"
        #expect(try curl(cartPath + "/sounds/\(id)", token: token, method: "PUT").json?["changed"] as? NSNumber == 1)
        #expect(try curl(cartPath + "/sounds/987654", token: token, method: "PUT").status == 404)
        #expect(try curl(cartPath, token: writerToken).status == 404, "a private collection is not walt's to see")
        let shown = try curl(cartPath, token: token)
        #expect((shown.json?["results"] as? [[String: Any]])?.count == 1 && shown.text.contains("\"folder\"") && !shown.text.contains(daemon.library))

        // Reordering (the page's arrange list and the browser test move real orders): refusals are clear.
        let move = cartPath + "/move"
        let stays = try curl(move, token: token, method: "POST", json: #"{"sounds": [\#(id)], "to_start": true}"#)
        #expect(stays.status == 200 && stays.json?["changed"] as? NSNumber == 0, "\(stays.text)")
        let outside = try curl(move, token: token, method: "POST", json: #"{"sounds": [\#(id)], "before": 987654}"#)
        #expect(outside.status == 400 && outside.text.contains("is not in the collection"), "\(outside.text)")
        #expect(try curl(move, token: token, method: "POST", json: #"{"sounds": [\#(id)], "before": \#(id)}"#).status == 400)
        #expect(try curl(move, token: token, method: "POST", json: #"{"sounds": [\#(id)], "before": \#(id), "to_start": true}"#).status == 400)
        #expect(try curl(move, token: token, method: "POST", json: #"{"sounds": []}"#).status == 400)
        #expect(try curl(move, token: token, method: "POST", json: #"{"sounds": "all"}"#).status == 400)
        #expect(try curl(move, token: token, method: "POST", json: #"{"sounds": [987654]}"#).status == 404)
        #expect(try curl(move, token: writerToken, method: "POST", json: #"{"sounds": [\#(id)]}"#).status == 404, "not walt's to reorder")

        // Several at once: those already in it are counted as such; limits hold.
        let many = try curl(cartPath + "/sounds", token: token, method: "POST", json: #"{"sounds": [\#(id)]}"#)
        #expect(many.status == 200 && many.json?["files"] as? NSNumber == 1 && many.json?["changed"] as? NSNumber == 0, "\(many.text)")
        #expect(try curl(cartPath + "/sounds", token: token, method: "POST", json: #"{"sounds": []}"#).status == 400)
        let tooMany = "{\"sounds\": [" + (1...1001).map(String.init).joined(separator: ",") + "]}"
        #expect(try curl(cartPath + "/sounds", token: token, method: "POST", json: tooMany).status == 400)
        #expect(try curl(cartPath + "/sounds", token: token, method: "POST", json: #"{"sounds": [987654]}"#).status == 404)
        #expect(try curl(cartPath + "/sounds", token: token, method: "POST", json: #"{"sounds": "all"}"#).status == 400)

        // Sharing one that exists: a writer's; a reader may not, and a catalogue's is made again instead.
        #expect(try curl(cartPath, token: token, method: "PATCH", json: #"{"shared": true}"#).status == 403, "alice reads only")
        #expect(try curl("/api/v1/collections", token: writerToken, method: "POST", json: #"{"name": "Walt's picks"}"#).status == 201)
        let picks = "/api/v1/collections/Walt's%20picks"
        #expect(try curl(picks, token: token).status == 404, "private so far")
        let shared = try curl(picks, token: writerToken, method: "PATCH", json: #"{"shared": true}"#)
        #expect(shared.status == 200 && shared.json?["shared"] as? Bool == true && shared.json?["owner"] as? String == "walt", "\(shared.text)")
        #expect(try curl(picks, token: token).status == 200, "alice sees it once shared")
        #expect(try curl(picks, token: writerToken, method: "PATCH", json: #"{"shared": "yes"}"#).status == 400)
        #expect(try curl(picks + "?everywhere=true", token: writerToken, method: "PATCH", json: #"{"shared": false}"#).status == 404, "no catalogue here")
        #expect(try curl(picks, token: writerToken, method: "PATCH", json: #"{"shared": false}"#).json?["shared"] as? Bool == false)
        #expect(try curl(picks, token: token).status == 404, "private again")

        let zip = try curl(cartPath + "/zip", token: token)
        #expect(zip.status == 200 && zip.headers["content-type"] == "application/zip")
        #expect(zip.headers["content-length"] == String(zip.body.count), "the length is known before it is sent, so a browser shows progress")
        let archive = daemon.folder.path + "/cart.zip"
        try zip.body.write(to: URL(fileURLWithPath: archive))
        let check = try DaemonProcess.run("/usr/bin/env", [
            "python3", "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; n = z.namelist(); print(n[0]); sys.stdout.buffer.write(z.read(n[0])[:0])",
            archive,
        ], environment: daemon.environment)
        #expect(check.status == 0 && check.stdout.contains("Dark Pad ☃ 120.wav"), "\(check.stdout) \(check.stderr)")
        let unpacked = daemon.folder.path + "/unpacked"
        _ = try DaemonProcess.run("/usr/bin/env", ["python3", "-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", archive, unpacked], environment: daemon.environment)
        #expect(try Data(contentsOf: URL(fileURLWithPath: unpacked + "/Dark Pad ☃ 120.wav")) == bytes, "the archive holds the original bytes")

        for hostile in ["/api/v1/collections/..%2F..%2Fetc/zip", "/api/v1/collections/" + String(repeating: "a", count: 300), "/api/v1/collections/%00/zip"] {
            let reply = try curl(hostile, token: token)
            #expect([400, 404].contains(reply.status), "\(hostile): \(reply.status)")
        }
        #expect(try curl(cartPath, token: token, method: "DELETE").status == 204)
        #expect(try curl(cartPath, token: token).status == 404)
    }

    @Test func onlyTheWebServicesUserMayActForAnAccount() throws {
        guard getuid() == 0 else {
            print("WebTests: not root, so another user's delegation is not tried (setpriv needs root).")
            return
        }
        let call = #"{"jsonrpc":"2.0","id":1,"method":"favourite","onBehalfOf":"alice","params":{"files":{"ids":[\#(id)]},"favourite":true}}"#
        let script = "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b'\\n'); print(s.makefile().readline())"
        let reply = try DaemonProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", "/usr/bin/python3", "-c", script, daemon.socket, call], environment: daemon.environment)
        #expect(reply.stdout.contains("-32007") && reply.stdout.contains("only the web service"), "\(reply.stdout) \(reply.stderr)")
    }
}
