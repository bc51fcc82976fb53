import Foundation
import LoopTestSupport
import Testing

/// A proxy that signs who it logged in (Cloudflare Access's JWT): loopweb believes the user only
/// when the signature is by a published key, for this application, and still valid.
extension WebTests {
    @Test func aProxysSignedAssertionIsVerifiedBeforeItsUserIsBelieved() async throws {
        #expect(try daemon.loopctl(["user", "add", "dana@example.org", "--role", "reader", "--no-password"]).status == 0)
        let folder = daemon.folder.path
        let proxy = try AssertionSigner(kid: "proxy-key")
        let forger = try AssertionSigner(kid: "forger-key")
        let keysFile = folder + "/access-certs.json"
        try AssertionSigner.keySet([proxy]).write(toFile: keysFile, atomically: true, encoding: .utf8)
        let header = "Cf-Access-Jwt-Assertion"
        let options = ["--identity-assertion-keys", keysFile, "--identity-assertion-audience", "openloop-app", "--identity-header", "Cf-Access-Authenticated-User-Email"]

        // Half the options, or no proxy to read them from, is a usage error that names the fix.
        let half = try ChildProcess.run(try DaemonProcess.binary("loopweb"), ["--socket", daemon.socket, "--identity-assertion-keys", keysFile])
        #expect(half.status != 0 && half.output.contains("--identity-assertion-audience"), "\(half.output)")

        web?.terminate()
        try startWeb(["--trusted-proxy", "127.0.0.1"] + options)
        let valid = try proxy.sign("Dana@Example.org")
        let session = try curl("/api/v1/session", headers: ["\(header): \(valid)"])
        #expect(session.status == 200 && (session.json?["account"] as? [String: Any])?["name"] as? String == "dana@example.org", "\(session.text)")

        // The plain header is not believed once assertions are checked; a bad assertion is refused in one sentence.
        #expect(try curl("/api/v1/session", headers: ["Cf-Access-Authenticated-User-Email: dana@example.org"]).status == 401)
        let refusals: [(String, String, String)] = [
            (try forger.sign("dana@example.org", as: "proxy-key"), "could not be verified", "signed by another key under the proxy's key id"),
            (try forger.sign("dana@example.org"), "could not be verified", "signed by a key the proxy does not publish"),
            (try proxy.sign("dana@example.org", audience: "another-app"), "another application", "made for another application"),
            (try proxy.sign("dana@example.org", expires: Date().addingTimeInterval(-60)), "could not be verified", "expired"),
            (try proxy.sign("mallory@example.org"), "loopctl user add", "a user with no account"),
            ("eyJhbGciOiJub25lIiwidHlwIjoiSldUIiwia2lkIjoicHJveHkta2V5In0." + valid.split(separator: ".")[1] + ".", "could not be verified", "unsigned (alg none)"),
            ("not-an-assertion", "could not be verified", "not a JWT"),
            (String(repeating: "a", count: 20000), "too long", "too long"),
        ]
        for (assertion, sentence, why) in refusals {
            let reply = try curl("/api/v1/session", headers: ["\(header): \(assertion)"])
            #expect(reply.status == 401 && reply.text.contains(sentence), "\(why): \(reply.status) \(reply.text)")
        }

        // From a peer that is not the trusted proxy, even a valid assertion is not read.
        web?.terminate()
        try startWeb(["--trusted-proxy", "192.0.2.1"] + options)
        #expect(try curl("/api/v1/session", headers: ["\(header): \(valid)"]).status == 401)
    }
}
