#if canImport(Glibc)
import Glibc
#endif
import LoopCore

/// One event as the kernel reported it.
struct InotifyEvent: Sendable {
    var watch: Int32
    var mask: UInt32
    var cookie: UInt32
    var name: String
}

/// Why a watch could not be added.
public enum WatchError: Error, Equatable, CustomStringConvertible {
    /// `fs.inotify.max_user_watches` is exhausted (ENOSPC).
    case limitReached(path: String)
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .limitReached(path):
            return "Cannot watch \(path): the inotify watch limit is reached (raise fs.inotify.max_user_watches)."
        case let .failed(path, reason):
            return "Cannot watch \(path): \(reason)."
        }
    }
}

/// A thin owner of an inotify descriptor plus a pipe that wakes a blocked reader.
final class Inotify: @unchecked Sendable {
    // Immutable descriptors; the kernel serialises calls on them.
    private let fd: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32

    static let directoryMask: UInt32 = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE
        | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW) | UInt32(IN_EXCL_UNLINK)

    init() throws(WatchError) {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw .failed(path: "inotify", reason: String(cString: strerror(errno))) }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(fd)
            throw .failed(path: "inotify", reason: String(cString: strerror(errno)))
        }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        close(fd)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Watches a directory; `throughLinks` lets `path` be a symbolic link to one.
    func addWatch(_ path: String, throughLinks: Bool = false) throws(WatchError) -> Int32 {
        let mask = throughLinks ? Self.directoryMask & ~UInt32(IN_DONT_FOLLOW) : Self.directoryMask
        let wd = FileName.withCString(path) { inotify_add_watch(fd, $0, mask) }
        guard wd >= 0 else {
            if errno == ENOSPC { throw .limitReached(path: path) }
            throw .failed(path: path, reason: String(cString: strerror(errno)))
        }
        return wd
    }

    func removeWatch(_ wd: Int32) {
        _ = inotify_rm_watch(fd, wd)
    }

    /// Makes a blocked `read` return nil.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Waits up to `timeoutMs` (-1 forever) and returns the events read: an
    /// empty array on timeout, nil once `wake` was called.
    func read(timeoutMs: Int32) -> [InotifyEvent]? {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 2, timeoutMs)
        if ready < 0 { return errno == EINTR ? [] : nil }
        if fds[1].revents != 0 { return nil }
        if ready == 0 || fds[0].revents == 0 { return [] }
        return drain()
    }

    private func drain() -> [InotifyEvent] {
        var events: [InotifyEvent] = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, capacity)
            if count <= 0 { break }
            var offset = 0
            let headerSize = 16 // int wd; uint32 mask, cookie, len
            while offset + headerSize <= count {
                let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let cookie = buffer.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
                let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameStart = offset + headerSize
                guard nameStart + length <= count else { break }
                var nameBytes = Array(buffer[nameStart..<(nameStart + length)])
                if let end = nameBytes.firstIndex(of: 0) { nameBytes.removeSubrange(end...) }
                events.append(InotifyEvent(watch: wd, mask: mask, cookie: cookie, name: FileName.decode(nameBytes)))
                offset = nameStart + length
            }
        }
        return events
    }
}
