import Crypto
import Foundation
import _CryptoExtras

/// A JSON Web Token signed with RS256, the one algorithm Cloudflare Access signs with, taken apart
/// and checked here on swift-crypto: a general JWT library (with the X.509 stack it needs) was 186
/// of the files every clean build compiled, for the few checks below.
struct SignedAssertion {
    /// Why a token is not believed; `unknownKeyID` alone is worth fetching the key set again for.
    enum Failure: Error, Equatable {
        case malformed(String)
        case unsupportedAlgorithm(String)
        case unknownKeyID(String)
        case badSignature
        case expired
        case notYetValid
        case otherAudience
        case noEmail

        var reason: String {
            switch self {
            case .malformed(let what): "not a signed token: \(what)"
            case .unsupportedAlgorithm(let alg): "it is signed with \(alg.isEmpty ? "no algorithm" : alg), not RS256"
            case .unknownKeyID(let kid): "no published key has the id '\(kid)'"
            case .badSignature: "its signature does not match the published key"
            case .expired: "it has expired"
            case .notYetValid: "it is not valid yet"
            case .otherAudience: "it was made for another application"
            case .noEmail: "it names no user (no email claim)"
            }
        }
    }

    /// The claims loopweb reads: for which applications, until when, from when, whom.
    struct Claims: Decodable {
        var aud: Audience
        var exp: Double
        var nbf: Double?
        var email: String?
    }

    /// `aud` is one string or a list of them.
    struct Audience: Decodable {
        var values: [String]
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) { values = [one] } else { values = try container.decode([String].self) }
        }
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    let keyID: String
    let claims: Claims
    private let signedPart: Data
    private let signature: Data

    /// Takes the token apart; nothing in it is believed until `verify`.
    init(_ token: String) throws(Failure) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("it has \(parts.count) parts, not 3") }
        guard let headerJSON = Self.base64URLDecoded(parts[0]), let header = try? JSONDecoder().decode(Header.self, from: headerJSON) else {
            throw .malformed("its header is not base64url JSON")
        }
        // Only RS256: refusing every other name (`none`, HS256 keyed with the public key) is what
        // stops an assertion from choosing how it is checked.
        guard header.alg == "RS256" else { throw .unsupportedAlgorithm(header.alg ?? "") }
        guard let kid = header.kid, !kid.isEmpty else { throw .malformed("its header names no key id") }
        guard let claimsJSON = Self.base64URLDecoded(parts[1]), let claims = try? JSONDecoder().decode(Claims.self, from: claimsJSON) else {
            throw .malformed("its claims are not base64url JSON with aud and exp")
        }
        guard let signature = Self.base64URLDecoded(parts[2]), !signature.isEmpty else { throw .malformed("its signature is not base64url") }
        keyID = kid
        self.claims = claims
        self.signedPart = Data((parts[0] + "." + parts[1]).utf8)
        self.signature = signature
    }

    /// The email address the token vouches for, once the signature, the dates and the audience hold.
    func verifiedEmail(keys: [String: _RSA.Signing.PublicKey], audience: String, now: Date = Date()) throws(Failure) -> String {
        guard let key = keys[keyID] else { throw .unknownKeyID(keyID) }
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signedPart), padding: .insecurePKCS1v1_5) else {
            throw .badSignature
        }
        let seconds = now.timeIntervalSince1970
        guard claims.exp > seconds else { throw .expired }
        if let nbf = claims.nbf, nbf > seconds { throw .notYetValid }
        guard claims.aud.values.contains(audience) else { throw .otherAudience }
        guard let email = claims.email?.trimmingCharacters(in: .whitespaces), !email.isEmpty else { throw .noEmail }
        return email
    }

    /// RFC 7515's base64url, which a token writes without padding; any other character makes it not a token.
    static func base64URLDecoded(_ text: Substring) -> Data? {
        text.contains("=") ? nil : Base64URL.decode(text)
    }
}

/// The proxy's published signing keys (a JSON Web Key Set), by key id: its RSA signing keys of
/// 2,048 bits or more. Keys of other kinds or uses are passed over, not refused, as proxies publish them too.
enum PublishedKeys {
    private struct KeySet: Decodable {
        var keys: [Key]
    }

    private struct Key: Decodable {
        var kty: String
        var kid: String?
        var use: String?
        var alg: String?
        var n: String?
        var e: String?
    }

    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ json: Data) throws(Unusable) -> [String: _RSA.Signing.PublicKey] {
        let set: KeySet
        do {
            set = try JSONDecoder().decode(KeySet.self, from: json)
        } catch {
            throw Unusable(description: "it is not JSON with a list of keys")
        }
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for key in set.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" && (key.alg ?? "RS256") == "RS256" {
            guard let kid = key.kid, let n = key.n.flatMap({ SignedAssertion.base64URLDecoded(Substring($0)) }),
                  let e = key.e.flatMap({ SignedAssertion.base64URLDecoded(Substring($0)) }),
                  let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { continue }
            keys[kid] = publicKey
        }
        guard !keys.isEmpty else { throw Unusable(description: "it holds no RSA signing key of 2,048 bits or more with a key id") }
        return keys
    }
}
