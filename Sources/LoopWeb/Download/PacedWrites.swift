import Hummingbird
import NIOCore

extension ResponseBodyWriter {
    /// Writes `buffer`, then waits until the connection's event loop has taken it.
    ///
    /// NIO hands each write to the event loop and learns that the socket is full only when the
    /// loop runs it, so a body read faster than the loop runs piles up in the loop's queue: 200
    /// fast downloads held 580 MB in loopweb. After this wait the writer knows whether the socket
    /// is full and holds the next write until it drains: per connection, one chunk beyond the
    /// channel's high-water mark.
    mutating func write(_ buffer: ByteBuffer, pacedBy eventLoop: any EventLoop) async throws {
        try await write(buffer)
        try await eventLoop.submit {}.get()
    }
}
