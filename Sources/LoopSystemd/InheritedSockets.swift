#if canImport(Glibc)
import Glibc
#endif
import CSystemd

/// Sockets passed in by systemd's socket activation (`LISTEN_FDS`,
/// `LISTEN_PID`, `LISTEN_FDNAMES`), read with libsystemd's `sd_listen_fds_with_names`.
public enum InheritedSockets {
    /// The listening socket named `name` (or the only one passed), taken over:
    /// the `LISTEN_*` variables are cleared and the descriptor marked
    /// close-on-exec, so processes the daemon starts inherit neither. Nil when
    /// none was passed to this process.
    public static func take(named name: String) -> Int32? {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = Int(sd_listen_fds_with_names(1, &names))
        defer {
            if let names {
                for index in 0..<max(count, 0) { free(names[index]) }
                free(names)
            }
        }
        guard count > 0 else { return nil }
        let first = Int32(SD_LISTEN_FDS_START)
        var chosen: Int32?
        for index in 0..<count {
            let label = names?[index].map { String(cString: $0) }
            if label == name || (count == 1 && chosen == nil) { chosen = first + Int32(index) }
        }
        for index in 0..<count {
            let descriptor = first + Int32(index)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        return chosen
    }

    /// Whether `descriptor` is a listening Unix stream socket.
    public static func isListeningUnixSocket(_ descriptor: Int32) -> Bool {
        sd_is_socket_unix(descriptor, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0
    }
}
