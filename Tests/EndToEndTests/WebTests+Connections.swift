#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopTestSupport
import Testing

/// Clients that hold connections: one that sends half a request and stops, and a thousand at once.
extension WebTests {
    var port: UInt16 { UInt16(base.split(separator: ":").last.map(String.init) ?? "") ?? 0 }

    /// A TCP connection to loopweb; -1 when it cannot be made.
    func connectRaw() -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if connected != 0 { close(fd); return -1 }
        return fd
    }

    @Test func aSlowClientIsCutOffAndDoesNotHoldUpOthers() throws {
        web?.terminate()
        try startWeb(["--idle-timeout", "2"])
        let slow = connectRaw()
        #expect(slow >= 0)
        defer { close(slow) }
        let half = "GET /api/v1/sounds HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea"
        _ = half.withCString { write(slow, $0, strlen($0)) }
        // Others are served meanwhile.
        #expect(try curl("/api/v1/sounds?q=pad", token: token).status == 200)
        // The half request is closed by loopweb after its idle time (the read's own limit is 20 s).
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(slow, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let started = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(slow, $0.baseAddress, $0.count) }
            if count <= 0 {
                #expect(count == 0, "closed by loopweb, not timed out on our side (errno \(errno))")
                break
            }
            total += count
        }
        #expect(ContinuousClock.now - started < .seconds(15), "cut off after loopweb's idle time")
        #expect(total == 0 || String(decoding: buffer.prefix(total), as: UTF8.self).hasPrefix("HTTP/1.1 4"), "nothing but an error was answered")
    }

    @Test func aThousandConnectionsAtOnceLeaveLoopwebServing() throws {
        // This process needs the descriptors too.
        var limits = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits)
        if limits.rlim_cur < 4096 {
            limits.rlim_cur = min(limits.rlim_max, 4096)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits)
        }
        var connections: [Int32] = []
        defer { for fd in connections { close(fd) } }
        for _ in 0..<1000 {
            let fd = connectRaw()
            if fd >= 0 { connections.append(fd) }
        }
        #expect(connections.count == 1000, "all 1,000 connected")
        // Half of them send a request too; every one gets its answer.
        let request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        for fd in connections.prefix(500) { _ = request.withCString { write(fd, $0, strlen($0)) } }
        var answered = 0
        for fd in connections.prefix(500) {
            var limit = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0, String(decoding: buffer.prefix(count), as: UTF8.self).hasPrefix("HTTP/1.1 200") { answered += 1 }
        }
        #expect(answered == 500, "\(answered) of 500 answered")
        #expect(try curl("/api/v1/sounds?q=pad", token: token).status == 200, "a new client is served with 1,000 open")
    }
}
