import Crypto
import Foundation

/// Short-lived download links that need no login: for dragging a sound into a DAW (the drop target
/// fetches without the page's cookies) and for sharing one file. A link names the sound and when
/// it expires, signed with HMAC-SHA256 under a key only this server holds.
public struct SignedLinks: Sendable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per use, which costs nothing).
    let keyBytes: Data
    var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// The longest a link may live.
    public static let maxLifetime: Int64 = 86_400
    public static let defaultLifetime: Int64 = 3_600

    public init(key: Data) { keyBytes = key }

    /// The link's token: the id and expiry (seconds since 1970), 8 bytes each, then their MAC; base64url.
    public func token(id: Int64, expires: Int64) -> String {
        let message = Self.message(id: id, expires: expires)
        let mac = Data(HMAC<SHA256>.authenticationCode(for: message, using: key))
        return Base64URL.encode(message + mac)
    }

    public enum Check: Equatable, Sendable {
        case valid(id: Int64)
        case expired
        case invalid
    }

    public func check(_ token: String, now: Int64 = Int64(Date().timeIntervalSince1970)) -> Check {
        guard token.utf8.count <= 128 else { return .invalid }
        guard let data = Base64URL.decode(token), data.count == 48 else { return .invalid }
        let message = data.prefix(16), mac = data.suffix(32)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: key) else { return .invalid }
        let id = Self.integer(message.prefix(8)), expires = Self.integer(message.suffix(8))
        return expires >= now ? .valid(id: id) : .expired
    }

    private static func message(id: Int64, expires: Int64) -> Data {
        var data = Data()
        for value in [id, expires] { withUnsafeBytes(of: value.bigEndian) { data.append(contentsOf: $0) } }
        return data
    }

    private static func integer(_ bytes: Data) -> Int64 {
        bytes.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }
}
