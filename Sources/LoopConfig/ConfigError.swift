/// Why a configuration could not be used. Each description is one sentence
/// naming the file and key at fault.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case syntax(file: String, line: Int, column: Int, reason: String)
    case unknownKey(file: String, key: String)
    case wrongType(file: String, key: String, expected: String)
    case invalidValue(file: String, key: String, reason: String)
    case missingRoot(path: String)
    case noRoots
    case templateOutsideRoots(path: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "Cannot read config file \(file): \(reason)."
        case let .syntax(file, line, column, reason):
            return "Config file \(file) is not valid TOML at line \(line), column \(column): \(reason)."
        case let .unknownKey(file, key):
            return "Config file \(file) has an unknown key '\(key)'."
        case let .wrongType(file, key, expected):
            return "Config key '\(key)' in \(file) must be \(expected)."
        case let .invalidValue(file, key, reason):
            return "Config key '\(key)' in \(file) is invalid: \(reason)."
        case let .missingRoot(path):
            return "Library root \(path) does not exist or is not a directory."
        case .noRoots:
            return "No library roots are configured (set library.roots or pass --library)."
        case let .templateOutsideRoots(path):
            return "library.templates names \(path), which is not one of the library roots."
        }
    }
}
