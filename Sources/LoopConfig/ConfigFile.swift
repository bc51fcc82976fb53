import Foundation
import LoopCore
internal import TOMLKit

/// The settings a TOML config file states; anything it leaves out is nil.
///
/// The sections and keys are those of `TableReader.sections` below, each
/// documented with its default in `etc/loopd.toml`; `ConfigPrinter` writes them all.
public struct ConfigFile: Sendable, Equatable {
    public var roots: [String]?
    public var extensions: [String]?
    public var stateDirectory: String?
    public var socketPath: String?
    public var socketMode: UInt16?
    public var workers: Int?
    public var analysisDeadlineSeconds: Int?
    public var followSymlinks: Bool?
    public var followOutside: Bool?
    public var settleMilliseconds: Int?
    public var pollSeconds: Int?
    public var ignorePatterns: [String]?
    public var ignoreHidden: Bool?
    public var ignoreMarker: String?
    /// Path templates of roots that keep takes, by root path as written.
    public var templates: [String: PathTemplate]?
    /// The group whose members may change shared data.
    public var writersGroup: String?
    public var visibility: FileVisibility?
    public var viewsEnabled: Bool?
    public var viewsFolder: String?
    public var viewsLinks: ViewLinkKind?
    /// Saved searches published as view folders, by name.
    public var viewSearches: [String: String]?
    public var spotlightEnabled: Bool?
    public var spotlightAddress: String?
    public var spotlightPort: Int?
    public var limitLineBytes: Int?
    public var limitBatchCalls: Int?
    public var limitReplyBytes: Int?
    public var limitConnections: Int?
    public var limitConnectionsPerUser: Int?

    public init() {}

    /// Reads and validates a config file.
    public static func load(path: String) throws(ConfigError) -> ConfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(text, file: path)
    }

    /// Parses TOML text; `file` names the source in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw .syntax(file: file, line: 0, column: 0, reason: "\(error)")
        }
        var reader = TableReader(file: file)
        return try reader.read(table)
    }
}

/// Walks the TOML tables, rejecting unknown keys and wrong types.
private struct TableReader {
    let file: String

    private static let sections: [String: Set<String>] = [
        "library": ["roots", "extensions", "follow_symlinks", "follow_outside", "templates"],
        "access": ["writers", "visibility"],
        "views": ["enabled", "folder", "links", "searches"],
        "spotlight": ["enabled", "address", "port"],
        "state": ["dir"],
        "rpc": ["socket", "socket_mode"],
        "analysis": ["workers", "deadline_seconds"],
        "watch": ["settle_ms", "poll_seconds"],
        "ignore": ["patterns", "hidden", "marker"],
        "limits": ["line_bytes", "batch_calls", "reply_bytes", "connections", "connections_per_user"],
    ]

    mutating func read(_ table: TOMLTable) throws(ConfigError) -> ConfigFile {
        var config = ConfigFile()
        for sectionName in table.keys {
            guard let allowed = Self.sections[sectionName] else {
                throw .unknownKey(file: file, key: sectionName)
            }
            guard let section = table[sectionName]?.table else {
                throw .wrongType(file: file, key: sectionName, expected: "a table ([\(sectionName)])")
            }
            for key in section.keys {
                let fullKey = "\(sectionName).\(key)"
                guard allowed.contains(key), let value = section[key] else {
                    throw .unknownKey(file: file, key: fullKey)
                }
                try apply(fullKey, value, to: &config)
            }
        }
        return config
    }

    private func apply(_ key: String, _ value: any TOMLValueConvertible, to config: inout ConfigFile) throws(ConfigError) {
        switch key {
        case "library.roots":
            config.roots = try stringArray(key, value)
        case "library.extensions":
            let extensions = try stringArray(key, value).map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
            if extensions.isEmpty || extensions.contains("") {
                throw .invalidValue(file: file, key: key, reason: "list at least one non-empty extension")
            }
            config.extensions = extensions
        case "state.dir":
            config.stateDirectory = try string(key, value)
        case "rpc.socket":
            config.socketPath = try string(key, value)
        case "rpc.socket_mode":
            let text = try string(key, value)
            guard let mode = UInt16(text, radix: 8), mode <= 0o777 else {
                throw .invalidValue(file: file, key: key, reason: "'\(text)' is not an octal permission such as \"0660\"")
            }
            config.socketMode = mode
        case "analysis.workers":
            guard let workers = value.int else { throw .wrongType(file: file, key: key, expected: "an integer") }
            guard (0...256).contains(workers) else {
                throw .invalidValue(file: file, key: key, reason: "use 0 (one per core) up to 256")
            }
            config.workers = workers
        case "analysis.deadline_seconds":
            config.analysisDeadlineSeconds = try integer(key, value, in: 1...86_400)
        case "library.follow_symlinks":
            guard let flag = value.bool else { throw .wrongType(file: file, key: key, expected: "true or false") }
            config.followSymlinks = flag
        case "library.follow_outside":
            guard let flag = value.bool else { throw .wrongType(file: file, key: key, expected: "true or false") }
            config.followOutside = flag
        case "watch.settle_ms":
            config.settleMilliseconds = try integer(key, value, in: 0...60_000)
        case "watch.poll_seconds":
            config.pollSeconds = try integer(key, value, in: 1...86_400)
        case "ignore.patterns":
            config.ignorePatterns = try stringArray(key, value)
        case "ignore.hidden":
            guard let flag = value.bool else { throw .wrongType(file: file, key: key, expected: "true or false") }
            config.ignoreHidden = flag
        case "ignore.marker":
            let marker = try string(key, value)
            guard !marker.contains("/") else { throw .invalidValue(file: file, key: key, reason: "it must be a file name, not a path") }
            config.ignoreMarker = marker
        case "library.templates":
            guard let table = value.table else { throw .wrongType(file: file, key: key, expected: "a table of root path = \"template\"") }
            var templates: [String: PathTemplate] = [:]
            for root in table.keys {
                guard let text = table[root]?.string else { throw .wrongType(file: file, key: "\(key).\(root)", expected: "a string") }
                do {
                    templates[root] = try PathTemplate(text)
                } catch {
                    throw .invalidValue(file: file, key: "\(key).\(root)", reason: error.description)
                }
            }
            config.templates = templates
        case "access.writers":
            config.writersGroup = try string(key, value)
        case "views.enabled":
            guard let flag = value.bool else { throw .wrongType(file: file, key: key, expected: "true or false") }
            config.viewsEnabled = flag
        case "views.folder":
            let folder = try string(key, value)
            guard !folder.contains("/"), folder != ".", folder != ".." else { throw .invalidValue(file: file, key: key, reason: "it must be a folder name, not a path") }
            config.viewsFolder = folder
        case "views.links":
            guard let links = ViewLinkKind(rawValue: try string(key, value)) else {
                throw .invalidValue(file: file, key: key, reason: "use \"symlink\" or \"hardlink\"")
            }
            config.viewsLinks = links
        case "access.visibility":
            let text = try string(key, value)
            guard let visibility = FileVisibility(rawValue: text) else {
                throw .invalidValue(file: file, key: key, reason: "use \"permissions\" (each reader sees what they may read on disk) or \"everyone\"")
            }
            config.visibility = visibility
        case "spotlight.enabled":
            guard let flag = value.bool else { throw .wrongType(file: file, key: key, expected: "true or false") }
            config.spotlightEnabled = flag
        case "spotlight.address":
            config.spotlightAddress = try string(key, value)
        case "spotlight.port":
            config.spotlightPort = try integer(key, value, in: 1...65535)
        case "limits.line_bytes":
            config.limitLineBytes = try integer(key, value, in: 1024...(64 << 20))
        case "limits.batch_calls":
            config.limitBatchCalls = try integer(key, value, in: 1...100_000)
        case "limits.reply_bytes":
            config.limitReplyBytes = try integer(key, value, in: 4096...(1 << 32))
        case "limits.connections":
            config.limitConnections = try integer(key, value, in: 1...1_000_000)
        case "limits.connections_per_user":
            config.limitConnectionsPerUser = try integer(key, value, in: 1...1_000_000)
        case "views.searches":
            guard let table = value.table else { throw .wrongType(file: file, key: key, expected: "a table of name = \"query\"") }
            var searches: [String: String] = [:]
            for name in table.keys {
                guard let query = table[name]?.string else { throw .wrongType(file: file, key: "\(key).\(name)", expected: "a string") }
                do {
                    _ = try LibraryQueryParser().parse(query)
                } catch {
                    throw .invalidValue(file: file, key: "\(key).\(name)", reason: error.description)
                }
                searches[name] = query
            }
            config.viewSearches = searches
        default:
            throw .unknownKey(file: file, key: key)
        }
    }

    private func integer(_ key: String, _ value: any TOMLValueConvertible, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let number = value.int else { throw .wrongType(file: file, key: key, expected: "an integer") }
        guard range.contains(number) else {
            throw .invalidValue(file: file, key: key, reason: "use \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private func string(_ key: String, _ value: any TOMLValueConvertible) throws(ConfigError) -> String {
        guard let text = value.string else { throw .wrongType(file: file, key: key, expected: "a string") }
        guard !text.isEmpty else { throw .invalidValue(file: file, key: key, reason: "it is empty") }
        return text
    }

    private func stringArray(_ key: String, _ value: any TOMLValueConvertible) throws(ConfigError) -> [String] {
        guard let array = value.array else { throw .wrongType(file: file, key: key, expected: "an array of strings") }
        var strings: [String] = []
        for element in array {
            guard let text = element.string else { throw .wrongType(file: file, key: key, expected: "an array of strings") }
            strings.append(text)
        }
        return strings
    }
}
