#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Descriptors a daemon was started with beyond stdin, stdout and stderr.
public enum InheritedDescriptors {
    /// Closes the pipes above descriptor 2 that loopd was started with. A
    /// parent that leaked other programs' pipes into loopd (a test runner or
    /// a shell starting several programs at once) would otherwise wait for
    /// their end as long as loopd runs. Sockets stay: socket activation
    /// passes them on purpose, and some parents watch one to learn when
    /// loopd exits.
    /// Call first thing, before anything opens a descriptor of its own.
    public static func closeStray(environment: [String: String] = ProcessInfo.processInfo.environment) {
        var keep = Set<Int32>([0, 1, 2])
        if environment["LISTEN_PID"].flatMap(Int32.init) == getpid(), let count = environment["LISTEN_FDS"].flatMap(Int32.init), count > 0 {
            for offset in 0..<count { keep.insert(3 + offset) }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        // Listing the folder opens a descriptor of its own; it is gone once the listing returns.
        for descriptor in names.compactMap(Int32.init) where !keep.contains(descriptor) {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)"),
                  target.hasPrefix("pipe:") else { continue }
            close(descriptor)
        }
    }
}
