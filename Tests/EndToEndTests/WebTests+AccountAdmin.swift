import Foundation
import LoopAPI
import LoopTestSupport
import Testing

/// An admin changes roles and removes accounts over the web; loopctl does the same on the server.
extension WebTests {
    @Test func anAdminChangesRolesAndRemovesAccounts() throws {
        #expect(try daemon.loopctl(["user", "add", "ada", "--role", "admin", "--no-password"]).status == 0)
        let admin = try daemon.loopctl(["token", "create", "ada"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Only admins, and never of themselves; names and roles are checked.
        #expect(try curl("/api/v1/accounts/walt", token: token, method: "PATCH", json: #"{"role": "admin"}"#).status == 403, "alice is a reader")
        #expect(try curl("/api/v1/accounts/walt", token: writerToken, method: "DELETE").status == 403, "walt is no admin")
        let own = try curl("/api/v1/accounts/ada", token: admin, method: "PATCH", json: #"{"role": "reader"}"#)
        #expect(own.status == 403 && own.text.contains("your own role"), "\(own.text)")
        #expect(try curl("/api/v1/accounts/ADA", token: admin, method: "DELETE").status == 403, "names are matched without case")
        #expect(try curl("/api/v1/accounts/nobody-here", token: admin, method: "PATCH", json: #"{"role": "writer"}"#).status == 404)
        #expect(try curl("/api/v1/accounts/nobody-here", token: admin, method: "DELETE").status == 404)
        #expect(try curl("/api/v1/accounts/..%2Fetc", token: admin, method: "DELETE").status == 400)
        #expect(try curl("/api/v1/accounts/alice", token: admin, method: "PATCH", json: #"{"role": "root"}"#).status == 400)

        // A new role is in force at once: alice tags as a writer.
        #expect(try curl("/api/v1/sounds/\(id)/tags", token: token, method: "POST", json: #"{"add": ["warm"]}"#).status == 403)
        let promoted = try curl("/api/v1/accounts/alice", token: admin, method: "PATCH", json: #"{"role": "writer"}"#)
        #expect(promoted.status == 200 && promoted.json?["role"] as? String == "writer", "\(promoted.text)")
        #expect(try curl("/api/v1/sounds/\(id)/tags", token: token, method: "POST", json: #"{"add": ["warm"]}"#).status == 200)

        // Wes (the newest account, so the highest owner id) has a favourite, a private collection
        // and a shared one. Removed, his token ends, his own marks go, and what he shared stays
        // without passing to the next account made.
        #expect(try daemon.loopctl(["user", "add", "wes", "--role", "writer", "--no-password"]).status == 0)
        let wes = try daemon.loopctl(["token", "create", "wes"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try curl("/api/v1/sounds/\(id)/favourite", token: wes, method: "PUT").status == 200)
        #expect(try curl("/api/v1/collections", token: wes, method: "POST", json: #"{"name": "Wes's own"}"#).status == 201)
        #expect(try curl("/api/v1/collections", token: wes, method: "POST", json: #"{"name": "Wes's set", "shared": true}"#).status == 201)
        #expect(try curl("/api/v1/collections/Wes's%20own/sounds/\(id)", token: wes, method: "PUT").status == 200)
        #expect(try curl("/api/v1/accounts/wes", token: admin, method: "DELETE").status == 204)
        #expect(try curl("/api/v1/sounds", token: wes).status == 401, "his token no longer works")
        #expect(try curl("/api/v1/accounts/wes", token: admin, method: "DELETE").status == 404, "removed once")
        #expect(try curl("/api/v1/collections/Wes's%20set", token: token).status == 200, "what he shared stays")
        #expect(try curl("/api/v1/accounts/walt", token: admin, method: "DELETE").status == 204)
        #expect(try curl("/api/v1/sounds", token: writerToken).status == 401)
        let accounts = try daemon.loopctlJSON(["user", "list"], as: [Account].self)
        #expect(accounts.map(\.name) == ["ada", "alice"])

        #expect(try daemon.loopctl(["user", "add", "zoe", "--role", "writer", "--no-password"]).status == 0)
        let zoe = try daemon.loopctl(["token", "create", "zoe"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hers = try curl("/api/v1/collections", token: zoe)
        let listed = (hers.json?["results"] as? [[String: Any]]) ?? []
        #expect(listed.map { $0["name"] as? String } == ["Wes's set"], "only the shared one: \(hers.text)")
        #expect(!listed.contains { $0["owner"] as? String == "zoe" }, "zoe inherits nothing of wes's: \(hers.text)")
        #expect(try curl("/api/v1/favourites", token: zoe).json?["count"] as? NSNumber == 0)

        // loopctl on the server, which may change any account, its own users' included.
        let demoted = try daemon.loopctl(["user", "role", "ada", "reader"])
        #expect(demoted.status == 0 && demoted.stdout.contains("'ada' is a reader now"), "\(demoted.stderr)")
        #expect(try curl("/api/v1/accounts", token: admin).status == 403, "ada is no admin any more")
        let missing = try daemon.loopctl(["user", "remove", "nobody-here"])
        #expect(missing.status == 1 && missing.stderr.contains("No such account"), "\(missing.stderr)")
        #expect(try daemon.loopctl(["user", "remove", "zoe"]).status == 0)
        #expect(try curl("/api/v1/sounds", token: zoe).status == 401)
    }
}
