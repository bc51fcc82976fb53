#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real smbd from Debian's samba package on 127.0.0.1, with its own
/// config, state and logs in a temporary folder (no system config touched),
/// sharing one folder as `lib` to one password-authenticated user.
public final class SambaServer: @unchecked Sendable {
    public let folder: TemporaryDirectory
    public let port: Int
    public let share: String
    public let user: String
    public let password = "loop-test-pass"
    public let config: String
    private var process: Process?
    /// smbd in the foreground exits when its stdin reaches end of file: this pipe stays open while it should run.
    private let stdin = Pipe()

    /// Why the Samba tests cannot run here, or nil when they can (root, smbd and smbclient installed).
    public static var unavailableReason: String? {
        if getuid() != 0 { return "not root (smbd needs root to switch to the share's user)" }
        for tool in ["/usr/sbin/smbd", "/usr/bin/smbclient", "/usr/bin/smbpasswd"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is missing (apt install samba smbclient)"
        }
        return nil
    }

    /// - Parameters:
    ///   - extraGlobal: more `[global]` lines (e.g. Spotlight settings).
    ///   - extraShare: more lines for the share.
    public init(sharing share: String, user: String = "nobody", ports: [Int]? = nil, extraGlobal: String = "", extraShare: String = "") throws {
        folder = TemporaryDirectory("smb")
        self.share = share
        self.user = user
        let ports = ports ?? [Self.freePort()]
        port = ports[0]
        for name in ["private", "lock", "state", "cache", "pid", "ncalrpc"] { _ = folder.makeDirectory(name) }
        let base = folder.path
        config = base + "/smb.conf"
        let text = """
            [global]
              smb ports = \(ports.map(String.init).joined(separator: " "))
              interfaces = 127.0.0.1
              bind interfaces only = yes
              server role = standalone server
              private dir = \(base)/private
              lock directory = \(base)/lock
              state directory = \(base)/state
              cache directory = \(base)/cache
              pid directory = \(base)/pid
              ncalrpc dir = \(base)/ncalrpc
              log file = \(base)/log.%m
              max log size = 0
              passdb backend = tdbsam:\(base)/private/passdb.tdb
              map to guest = never
              load printers = no
              printcap name = /dev/null
              disable spoolss = yes
              server min protocol = SMB2
              follow symlinks = yes
              wide links = no
            \(extraGlobal)
            [lib]
              path = \(share)
              read only = no
              valid users = \(user)
            \(extraShare)
            """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        // The user's Samba password, in this server's own password database.
        let passwd = try ChildProcess.run("/usr/bin/smbpasswd", ["-c", config, "-a", "-s", user], input: "\(password)\n\(password)\n")
        guard passwd.status == 0 else { throw Failure(description: "smbpasswd: \(passwd.output)") }
    }

    /// Starts smbd and returns once it accepts connections.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/smbd")
        process.arguments = ["--foreground", "--no-process-group", "-s", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = stdin
        try process.run()
        self.process = process
        // Ask the server, not the clock: retry until a client gets a listing.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try client("ls").status == 0 { return }
            guard process.isRunning else { break }
        }
        throw Failure(description: "smbd did not start: \(log())")
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs smbclient commands against the share as the user.
    public func client(_ commands: String, directory: String? = nil) throws -> (status: Int32, output: String) {
        var arguments = ["//127.0.0.1/lib", "-p", String(port), "-U", "\(user)%\(password)", "-m", "SMB3", "-c", commands]
        if let directory { arguments += ["-D", directory] }
        return try ChildProcess.run("/usr/bin/smbclient", arguments)
    }

    public func log() -> String {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasPrefix("log.") }
            .compactMap { try? String(contentsOfFile: folder.path + "/" + $0, encoding: .utf8) }.joined(separator: "\n").suffix(3000).description ?? ""
    }

    /// Stops smbd and samba-dcerpcd (spawned on demand, it outlives smbd) by their pid files.
    public func stop() {
        for name in ["smbd", "samba-dcerpcd", "rpcd_mdssvc", "rpcd_classic", "rpcd_winreg"] {
            if let text = try? String(contentsOfFile: folder.path + "/pid/\(name).pid", encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
            }
        }
        try? stdin.fileHandleForWriting.close()
        if let process, process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
