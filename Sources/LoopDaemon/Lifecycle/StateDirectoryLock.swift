#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An exclusive `flock` on `<state>/loopd.lock`, so two daemons never share one index.
final class StateDirectoryLock: Sendable {
    private let fd: Int32

    init(directory: String) throws(DaemonError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .stateDirectory(path: directory, reason: (error as NSError).localizedDescription)
        }
        let path = directory + "/loopd.lock"
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .stateDirectory(path: directory, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .stateDirectoryInUse(path: directory)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
