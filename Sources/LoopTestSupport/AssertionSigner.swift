import Crypto
import Foundation
import _CryptoExtras

/// A reverse proxy's signing key in tests: it signs RS256 assertions of who is logged in (as
/// Cloudflare Access does) and publishes its public half as one entry of a JSON Web Key Set.
public struct AssertionSigner: Sendable {
    let key: _RSA.Signing.PrivateKey
    public let kid: String
    /// `{"kty": "RSA", ...}`: the public key, for a key set's `keys` list.
    public let jwk: String

    public init(kid: String) throws {
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        self.kid = kid
        let primitives = try key.publicKey.getKeyPrimitives()
        jwk = #"{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "\#(kid)", "n": "\#(Self.base64URL(primitives.modulus))", "e": "\#(Self.base64URL(primitives.publicExponent))"}"#
    }

    /// A key set holding these signers' public keys.
    public static func keySet(_ signers: [AssertionSigner]) -> String {
        #"{"keys": [\#(signers.map(\.jwk).joined(separator: ", "))]}"#
    }

    /// An assertion for `email`, signed by this key under `kid` (another key's id makes a forgery).
    public func sign(_ email: String?, audience: String = "openloop-app", expires: Date = Date().addingTimeInterval(600),
                     notBefore: Date? = nil, as kid: String? = nil, algorithm: String = "RS256") throws -> String {
        var claims: [String: Any] = ["aud": [audience], "exp": Int(expires.timeIntervalSince1970)]
        if let email { claims["email"] = email }
        if let notBefore { claims["nbf"] = Int(notBefore.timeIntervalSince1970) }
        let header = try JSONSerialization.data(withJSONObject: ["alg": algorithm, "typ": "JWT", "kid": kid ?? self.kid], options: .sortedKeys)
        return try signRaw(header: String(decoding: header, as: UTF8.self), claims: String(decoding: try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys), as: UTF8.self))
    }

    /// An assertion of these exact header and claims texts, signed by this key.
    public func signRaw(header: String? = nil, claims: String) throws -> String {
        let header = header ?? #"{"alg":"RS256","kid":"\#(kid)"}"#
        let signingInput = Self.base64URL(Data(header.utf8)) + "." + Self.base64URL(Data(claims.utf8))
        let signature = try key.signature(for: SHA256.hash(data: Data(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Self.base64URL(signature.rawRepresentation)
    }

    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
