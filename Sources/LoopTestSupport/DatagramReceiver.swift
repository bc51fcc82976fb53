#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore

/// A Unix datagram socket a test binds to receive what a process sends:
/// sd_notify messages, journald native-protocol entries.
public final class DatagramReceiver: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    public init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        guard let address = UnixSocketAddress(path: path) else {
            close(descriptor)
            throw POSIXError(.ENAMETOOLONG)
        }
        guard address.withSockaddr({ bind(descriptor, $0, $1) }) == 0 else {
            close(descriptor)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next datagram, or nil when none arrives within `timeout` seconds.
    public func receive(timeout: Double) -> [UInt8]? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1 << 17)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? Array(buffer.prefix(count)) : nil
    }

    /// Datagrams as text until one satisfies `done` or `timeout` seconds pass; returns all received.
    public func collect(timeout: Double, until done: ([String]) -> Bool) -> [String] {
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(timeout)
        while !done(messages) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, let datagram = receive(timeout: left) else { break }
            messages.append(String(decoding: datagram, as: UTF8.self))
        }
        return messages
    }
}
