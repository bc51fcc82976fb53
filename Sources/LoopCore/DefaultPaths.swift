#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where loopd keeps its state and socket when the config does not say.
///
/// Under systemd the unit's `StateDirectory=` and `RuntimeDirectory=` arrive as
/// `$STATE_DIRECTORY` and `$RUNTIME_DIRECTORY`; otherwise the XDG base
/// directories apply, with `/run/loopd` for a root daemon without
/// `$XDG_RUNTIME_DIR`.
public struct DefaultPaths: Sendable {
    public var environment: [String: String]
    public var home: String
    public var isRoot: Bool

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        home: String = NSHomeDirectory(),
        isRoot: Bool = getuid() == 0
    ) {
        self.environment = environment
        self.home = home
        self.isRoot = isRoot
    }

    public var libraryRoot: String { home + "/Samples" }

    public var stateDirectory: String {
        if let dir = nonEmpty("STATE_DIRECTORY") { return firstPath(dir) }
        if let xdg = nonEmpty("XDG_STATE_HOME") { return xdg + "/loopd" }
        return home + "/.local/state/loopd"
    }

    public var socketPath: String {
        if let dir = nonEmpty("RUNTIME_DIRECTORY") { return firstPath(dir) + "/loopd.sock" }
        if let xdg = nonEmpty("XDG_RUNTIME_DIR") { return xdg + "/loopd/loopd.sock" }
        if isRoot { return "/run/loopd/loopd.sock" }
        return "/tmp/loopd-\(getuid())/loopd.sock"
    }

    /// The config file to read when none is given: `$LOOPD_CONFIG`, then
    /// `loopd.toml` in systemd's `$CONFIGURATION_DIRECTORY` (/etc/loopd for the
    /// system unit, which runs as the loopd user), then `/etc/loopd/loopd.toml`
    /// for root, then `~/.config/loopd/loopd.toml`.
    /// Returns nil when none of the candidates exists (defaults apply).
    public func configFile(fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String? {
        if let explicit = nonEmpty("LOOPD_CONFIG") { return explicit }
        var candidates: [String] = []
        if let directory = nonEmpty("CONFIGURATION_DIRECTORY") { candidates.append(firstPath(directory) + "/loopd.toml") }
        if isRoot { candidates.append("/etc/loopd/loopd.toml") }
        if let xdg = nonEmpty("XDG_CONFIG_HOME") {
            candidates.append(xdg + "/loopd/loopd.toml")
        } else {
            candidates.append(home + "/.config/loopd/loopd.toml")
        }
        return candidates.first(where: fileExists)
    }

    /// The socket a client tries when neither `--socket` nor `$LOOPD_SOCKET` is given.
    public var clientSocketPath: String {
        if let explicit = nonEmpty("LOOPD_SOCKET") { return explicit }
        let own = socketPath
        if FileManager.default.fileExists(atPath: own) { return own }
        // A system service's socket, reachable by members of its group.
        if FileManager.default.fileExists(atPath: "/run/loopd/loopd.sock") { return "/run/loopd/loopd.sock" }
        return own
    }

    /// Expands a leading `~` to the home directory.
    public func expandTilde(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }

    private func nonEmpty(_ key: String) -> String? {
        guard let value = environment[key], !value.isEmpty else { return nil }
        return value
    }

    // systemd joins several directories with ':'; the first is ours.
    private func firstPath(_ value: String) -> String {
        String(value.split(separator: ":").first ?? Substring(value))
    }
}
