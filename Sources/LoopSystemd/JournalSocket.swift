#if canImport(Glibc)
import Glibc
#endif
import CSystemd
import Foundation
import LoopCore

/// journald's native protocol: one datagram per entry on its socket, each
/// field `NAME=value\n`, or `NAME\n`, a little-endian 64-bit length and the
/// value for values with a newline (what libsystemd's `sd_journal_sendv`
/// sends). Speaking it directly lets a test point the logger at its own socket.
public final class JournalSocket: Sendable {
    public static let defaultPath = "/run/systemd/journal/socket"

    private let descriptor: Int32
    private let address: UnixSocketAddress

    /// Nil when no datagram socket can be made or `path` does not fit a socket address.
    public init?(path: String = JournalSocket.defaultPath) {
        guard let address = UnixSocketAddress(path: path) else { return nil }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.address = address
    }

    deinit { close(descriptor) }

    /// Field names journald accepts: upper-case letters, digits and underscores, not starting with an underscore or digit.
    public static func fieldName(_ key: String) -> String {
        var name = String(key.uppercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        while name.first == "_" || name.first?.isNumber == true { name.removeFirst() }
        return name.isEmpty ? "FIELD" : String(name.prefix(64))
    }

    /// The datagram for `fields` (names already valid).
    public static func encode(_ fields: [(name: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            let value = Array(field.value.utf8)
            if value.contains(0x0A) {
                bytes += Array(field.name.utf8) + [0x0A]
                withUnsafeBytes(of: UInt64(value.count).littleEndian) { bytes += $0 }
                bytes += value + [0x0A]
            } else {
                bytes += Array(field.name.utf8) + [0x3D] + value + [0x0A]
            }
        }
        return bytes
    }

    /// Sends one entry; false when journald did not take it (not running, entry too large).
    @discardableResult
    public func send(_ fields: [(name: String, value: String)]) -> Bool {
        let datagram = Self.encode(fields)
        let sent = datagram.withUnsafeBytes { payload in
            address.withSockaddr { sendto(descriptor, payload.baseAddress, payload.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
        return sent == datagram.count
    }
}
