import AsyncHTTPClient
import Foundation
import _CryptoExtras
import NIOCore
import NIOHTTP1

/// A signed assertion of who the proxy logged in (Cloudflare Access's `Cf-Access-Jwt-Assertion`),
/// checked against the keys the proxy publishes and this application's audience tag, so that a
/// request which reached loopweb around the proxy, or a forged header, is not believed.
public actor AccessAssertion {
    /// Where the signing keys are: the proxy's JWKS URL (for Cloudflare Access,
    /// `https://TEAM.cloudflareaccess.com/cdn-cgi/access/certs`) or a file holding that JSON.
    let keysSource: String
    /// The application's audience tag: an assertion made for another application is refused.
    let audience: String
    private var keys: [String: _RSA.Signing.PublicKey] = [:]
    private var loadedAt: ContinuousClock.Instant?
    /// Keys are fetched again this often (the proxy rotates them), and at most this often when an
    /// assertion names a key not seen yet.
    static let refreshEvery: Duration = .seconds(3600)
    let retryUnknownKeyAfter: Duration
    /// A key set is a few kilobytes; more is not one.
    static let maxKeysBytes = 256 * 1024
    /// An assertion is about a kilobyte; a header far longer is not one.
    static let maxAssertionBytes = 16 * 1024

    public init(keysSource: String, audience: String, retryUnknownKeyAfter: Duration = .seconds(60)) {
        self.keysSource = keysSource
        self.audience = audience
        self.retryUnknownKeyAfter = retryUnknownKeyAfter
    }

    /// Why an assertion is not believed, as one sentence.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// The email address the assertion vouches for.
    public func email(from assertion: String, now: Date = Date()) async throws(Refusal) -> String {
        guard assertion.utf8.count <= Self.maxAssertionBytes else { throw Refusal(description: "The proxy's assertion is too long to be one.") }
        try await loadKeys(force: false)
        let token: SignedAssertion
        do throws(SignedAssertion.Failure) {
            token = try SignedAssertion(assertion)
        } catch {
            throw Self.refusal(error)
        }
        do throws(SignedAssertion.Failure) {
            return try token.verifiedEmail(keys: keys, audience: audience, now: now)
        } catch .unknownKeyID where mayReloadForUnknownKey {
            // A key the proxy has just rotated in: fetch the set again (not more than once a minute).
        } catch {
            throw Self.refusal(error)
        }
        try await loadKeys(force: true)
        do throws(SignedAssertion.Failure) {
            return try token.verifiedEmail(keys: keys, audience: audience, now: now)
        } catch {
            throw Self.refusal(error)
        }
    }

    /// Whether the key set was loaded long enough ago to be fetched again for an unknown key id.
    private var mayReloadForUnknownKey: Bool {
        guard let loadedAt else { return false }
        return ContinuousClock.now - loadedAt >= retryUnknownKeyAfter
    }

    static func refusal(_ failure: SignedAssertion.Failure) -> Refusal {
        switch failure {
        case .otherAudience: Refusal(description: "The proxy's assertion was made for another application.")
        case .noEmail: Refusal(description: "The proxy's assertion names no user (no email claim).")
        default: Refusal(description: "The proxy's assertion of who you are could not be verified (\(failure.reason)).")
        }
    }

    /// Loads the key set when it is missing or old (or `force`d); a failure keeps the set there was.
    private func loadKeys(force: Bool) async throws(Refusal) {
        if !force, let loadedAt, ContinuousClock.now - loadedAt < Self.refreshEvery { return }
        let json: Data
        do {
            json = try await Self.read(keysSource)
        } catch {
            if loadedAt != nil { return }
            throw Refusal(description: "The proxy's signing keys cannot be read from \(keysSource): \(error).")
        }
        do {
            keys = try PublishedKeys.parse(json)
        } catch {
            if loadedAt != nil { return }
            throw Refusal(description: "\(keysSource) does not hold a usable JSON Web Key Set (\(error)).")
        }
        loadedAt = .now
    }

    static func read(_ source: String) async throws -> Data {
        if source.hasPrefix("https://") || source.hasPrefix("http://") {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: source), timeout: .seconds(10))
            guard response.status == .ok else { throw Refusal(description: "it answered \(response.status.code)") }
            let body = try await response.body.collect(upTo: maxKeysBytes)
            return Data(body.readableBytesView)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        guard data.count <= maxKeysBytes else { throw Refusal(description: "it is larger than a key set") }
        return data
    }
}
