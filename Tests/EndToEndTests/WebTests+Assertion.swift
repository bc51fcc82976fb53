import Foundation
import JWTKit
import LoopTestSupport
import Testing

/// A proxy that signs who it logged in (Cloudflare Access's JWT): loopweb believes the user only
/// when the signature is by a published key, for this application, and still valid.
extension WebTests {
    struct AccessClaims: JWTPayload {
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var email: String?

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// An RSA key made by openssl, able to sign assertions under key id `kid`.
    struct AccessSigner {
        let keys = JWTKeyCollection()
        let kid: String
        /// The key's public half as one entry of a JSON Web Key Set.
        let jwk: String

        init(folder: String, kid: String) async throws {
            let path = folder + "/access-\(kid).pem"
            let made = try ChildProcess.run("/usr/bin/openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", path])
            #expect(made.status == 0, "openssl: \(made.output)")
            let key = try Insecure.RSA.PrivateKey(pem: try String(contentsOfFile: path, encoding: .utf8))
            await keys.add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid))
            let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
            func base64URL(_ data: Data) -> String {
                data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            }
            self.kid = kid
            jwk = #"{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "\#(kid)", "n": "\#(base64URL(modulus))", "e": "\#(base64URL(exponent))"}"#
        }

        /// An assertion for `email`, signed under `kid` (another key's id makes a forgery).
        func sign(_ email: String, audience: String = "openloop-app", expires: Date = Date().addingTimeInterval(600), as kid: String? = nil) async throws -> String {
            try await keys.sign(AccessClaims(aud: .init(value: [audience]), exp: .init(value: expires), email: email),
                                kid: JWKIdentifier(string: self.kid), header: ["kid": .string(kid ?? self.kid)])
        }
    }

    @Test func aProxysSignedAssertionIsVerifiedBeforeItsUserIsBelieved() async throws {
        #expect(try daemon.loopctl(["user", "add", "dana@example.org", "--role", "reader", "--no-password"]).status == 0)
        let folder = daemon.folder.path
        let proxy = try await AccessSigner(folder: folder, kid: "proxy-key")
        let forger = try await AccessSigner(folder: folder, kid: "forger-key")
        let keysFile = folder + "/access-certs.json"
        try #"{"keys": [\#(proxy.jwk)]}"#.write(toFile: keysFile, atomically: true, encoding: .utf8)
        let header = "Cf-Access-Jwt-Assertion"
        let options = ["--identity-assertion-keys", keysFile, "--identity-assertion-audience", "openloop-app", "--identity-header", "Cf-Access-Authenticated-User-Email"]

        // Half the options, or no proxy to read them from, is a usage error that names the fix.
        let half = try ChildProcess.run(try DaemonProcess.binary("loopweb"), ["--socket", daemon.socket, "--identity-assertion-keys", keysFile])
        #expect(half.status != 0 && half.output.contains("--identity-assertion-audience"), "\(half.output)")

        web?.terminate()
        try startWeb(["--trusted-proxy", "127.0.0.1"] + options)
        let valid = try await proxy.sign("Dana@Example.org")
        let session = try curl("/api/v1/session", headers: ["\(header): \(valid)"])
        #expect(session.status == 200 && (session.json?["account"] as? [String: Any])?["name"] as? String == "dana@example.org", "\(session.text)")

        // The plain header is not believed once assertions are checked; a bad assertion is refused in one sentence.
        #expect(try curl("/api/v1/session", headers: ["Cf-Access-Authenticated-User-Email: dana@example.org"]).status == 401)
        let refusals: [(String, String, String)] = [
            (try await forger.sign("dana@example.org", as: "proxy-key"), "could not be verified", "signed by another key under the proxy's key id"),
            (try await forger.sign("dana@example.org"), "could not be verified", "signed by a key the proxy does not publish"),
            (try await proxy.sign("dana@example.org", audience: "another-app"), "another application", "made for another application"),
            (try await proxy.sign("dana@example.org", expires: Date().addingTimeInterval(-60)), "could not be verified", "expired"),
            (try await proxy.sign("mallory@example.org"), "loopctl user add", "a user with no account"),
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
