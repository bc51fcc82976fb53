#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore

/// A blocking JSON-RPC client on loopd's Unix socket, for `loopctl`, tests and benchmarks.
public final class RPCClient {
    private let fd: Int32
    private var buffer = [UInt8]()
    private var nextID: Int64 = 1
    /// The web account this client's calls are made for (the request's `onBehalfOf`); loopd
    /// accepts it from root and its own user only.
    public var onBehalfOf: String?

    public init(socketPath: String) throws(RPCClientError) {
        do {
            fd = try UnixSocket.connect(path: socketPath)
        } catch {
            if error.errno == ENOENT || error.errno == ECONNREFUSED { throw .notRunning(path: socketPath) }
            throw .cannotConnect(path: socketPath, reason: error.reason)
        }
    }

    deinit { close(fd) }

    /// Calls `method` and decodes its result.
    public func call<Result: Decodable>(_ method: String, params: (any Encodable)? = nil, as type: Result.Type = Result.self) throws(RPCClientError) -> Result {
        let id = nextID
        nextID += 1
        let request = try RPCRequestLine.make(id: id, method: method, params: params, onBehalfOf: onBehalfOf)
        return try RPCRequestLine.result(of: exchange(request), as: Result.self)
    }

    /// Sends one raw line and returns the raw reply line (without its newline).
    public func exchange(_ message: Data) throws(RPCClientError) -> Data {
        do {
            try send(message + Data([0x0A]))
        } catch {
            // loopd may have refused the connection (too many) and closed it: its reason waits to be read.
            if let refusal = try? readLine() { return refusal }
            throw error
        }
        return try readLine()
    }

    /// Waits for the next line loopd sends unasked: a notification, after `subscribe`.
    public func nextNotification() throws(RPCClientError) -> Data {
        try readLine()
    }

    private func send(_ data: Data) throws(RPCClientError) {
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            // MSG_NOSIGNAL: a closed connection is an error to report, not a SIGPIPE that kills the client.
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .connectionLost(reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    private func readLine() throws(RPCClientError) -> Data {
        var scanned = 0
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Data(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            scanned = buffer.count
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .connectionLost(reason: String(cString: strerror(errno)))
            }
            if count == 0 { throw .connectionLost(reason: "loopd closed the connection") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
