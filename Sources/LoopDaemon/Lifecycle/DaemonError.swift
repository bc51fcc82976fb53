/// Why the daemon could not start, as one sentence.
public enum DaemonError: Error, Equatable, CustomStringConvertible {
    case stateDirectory(path: String, reason: String)
    case stateDirectoryInUse(path: String)
    case index(path: String, reason: String)
    case watcher(reason: String)

    public var description: String {
        switch self {
        case let .stateDirectory(path, reason):
            return "Cannot use the state directory \(path): \(reason)."
        case let .stateDirectoryInUse(path):
            return "Another loopd is already using the state directory \(path)."
        case let .index(path, reason):
            return "Cannot open the index \(path): \(reason)."
        case let .watcher(reason):
            return "Cannot start watching the library: \(reason)."
        }
    }
}
