import Crypto
import Foundation
@testable import LoopWeb
import LoopTestSupport
import Testing

/// The proxy's signed assertion of its user, checked without the network: a key set on disk,
/// assertions signed here, and every way a hostile client could shape one.
@Suite struct AccessAssertionTests {
    let folder = TemporaryDirectory("assertion")
    let proxy: AssertionSigner
    let keysFile: String

    init() throws {
        proxy = try AssertionSigner(kid: "proxy-key")
        keysFile = folder.path + "/certs.json"
        try AssertionSigner.keySet([proxy]).write(toFile: keysFile, atomically: true, encoding: .utf8)
    }

    func refusal(_ assertion: String, by verifier: AccessAssertion) async -> String? {
        do {
            _ = try await verifier.email(from: assertion)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aValidAssertionNamesItsUser() async throws {
        let verifier = AccessAssertion(keysSource: keysFile, audience: "openloop-app")
        #expect(try await verifier.email(from: try proxy.sign(" dana@example.org ")) == "dana@example.org")
        // `aud` may be one string instead of a list.
        let claims = #"{"aud":"openloop-app","email":"eve@example.org","exp":\#(Int(Date().timeIntervalSince1970) + 60)}"#
        let single = try proxy.signRaw(claims: claims)
        #expect(try await verifier.email(from: single) == "eve@example.org")
    }

    @Test func everyMisshapenOrMisdirectedAssertionIsRefusedWithItsReason() async throws {
        let verifier = AccessAssertion(keysSource: keysFile, audience: "openloop-app")
        let forger = try AssertionSigner(kid: "forger-key")
        let valid = try proxy.sign("dana@example.org")
        let parts = valid.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // HS256 keyed with the published key: the classic confusion, if the algorithm were the token's to choose.
        let hsHeader = AssertionSigner.base64URL(Data(#"{"alg":"HS256","kid":"proxy-key"}"#.utf8))
        let hsMAC = HMAC<SHA256>.authenticationCode(for: Data((hsHeader + "." + parts[1]).utf8), using: SymmetricKey(data: Data(proxy.jwk.utf8)))
        let cases: [(String, String)] = [
            (try forger.sign("dana@example.org", as: "proxy-key"), "signature does not match"),
            (try forger.sign("dana@example.org"), "no published key has the id 'forger-key'"),
            (try proxy.sign("dana@example.org", audience: "another-app"), "another application"),
            (try proxy.sign("dana@example.org", expires: Date().addingTimeInterval(-1)), "expired"),
            (try proxy.sign("dana@example.org", notBefore: Date().addingTimeInterval(120)), "not valid yet"),
            (try proxy.sign(nil), "names no user"),
            (try proxy.sign("dana@example.org", algorithm: "RS512"), "not RS256"),
            (AssertionSigner.base64URL(Data(#"{"alg":"none","kid":"proxy-key"}"#.utf8)) + "." + parts[1] + ".", "not RS256"),
            (hsHeader + "." + parts[1] + "." + AssertionSigner.base64URL(Data(hsMAC)), "not RS256"),
            (parts[0] + "." + parts[1], "parts, not 3"),
            (valid + ".", "parts, not 3"),
            (parts[0] + "." + parts[1] + ".", "signature is not base64url"),
            (parts[0] + ".e30." + parts[2], "claims are not"),
            ("!!." + parts[1] + "." + parts[2], "header is not"),
            (parts[0] + "=." + parts[1] + "." + parts[2], "header is not"),
            (parts[0] + "." + parts[1] + "." + parts[2].dropLast(4) + "AAAA", "signature does not match"),
            (String(repeating: "a", count: 20_000), "too long"),
        ]
        for (assertion, reason) in cases {
            let said = await refusal(assertion, by: verifier)
            #expect(said?.contains(reason) == true, "expected '\(reason)', got \(said ?? "acceptance") for \(assertion.prefix(80))")
        }
    }

    @Test func aKeyRotatedInIsFetchedAgainButNotOnEveryUnknownId() async throws {
        let next = try AssertionSigner(kid: "next-key")
        let patient = AccessAssertion(keysSource: keysFile, audience: "openloop-app")
        let eager = AccessAssertion(keysSource: keysFile, audience: "openloop-app", retryUnknownKeyAfter: .zero)
        #expect(try await patient.email(from: try proxy.sign("dana@example.org")) == "dana@example.org")
        #expect(try await eager.email(from: try proxy.sign("dana@example.org")) == "dana@example.org")
        // The proxy publishes its next key; an assertion signed with it arrives at once.
        try AssertionSigner.keySet([proxy, next]).write(toFile: keysFile, atomically: true, encoding: .utf8)
        let rotated = try next.sign("dana@example.org")
        #expect(await refusal(rotated, by: patient)?.contains("no published key has the id 'next-key'") == true,
                "the key set was read less than a minute ago: an unknown id is not a reason to read it again")
        #expect(try await eager.email(from: rotated) == "dana@example.org")
        #expect(try await eager.email(from: try proxy.sign("dana@example.org")) == "dana@example.org", "the old key still holds")
    }

    @Test func aKeySetWithoutAUsableKeyIsRefusedWhenFirstRead() async throws {
        let sets = [
            ("not json", "not JSON"),
            (#"{"keys": [{"kty": "EC", "kid": "a", "crv": "P-256", "x": "AA", "y": "AA"}]}"#, "no RSA signing key"),
            (#"{"keys": [{"kty": "RSA", "kid": "small", "n": "AQAB", "e": "AQAB"}]}"#, "no RSA signing key"),
        ]
        for (json, reason) in sets {
            try json.write(toFile: keysFile, atomically: true, encoding: .utf8)
            let said = await refusal(try proxy.sign("dana@example.org"), by: AccessAssertion(keysSource: keysFile, audience: "openloop-app"))
            #expect(said?.contains("does not hold a usable JSON Web Key Set") == true && said?.contains(reason) == true, "\(said ?? "acceptance")")
        }
        let missing = await refusal(try proxy.sign("dana@example.org"), by: AccessAssertion(keysSource: folder.path + "/none.json", audience: "openloop-app"))
        #expect(missing?.contains("cannot be read") == true, "\(missing ?? "acceptance")")
    }
}
