#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Debian's Chromium, headless, driven over the DevTools protocol through
/// `--remote-debugging-pipe` (JSON messages ending in a NUL byte, commands
/// on fd 3, replies on fd 4), so no websocket client is needed.
public final class HeadlessBrowser {
    public static let executable = "/usr/bin/chromium"
    private let pid: pid_t
    private let commands: Int32
    private let replies: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private var session: String?
    private let profile = TemporaryDirectory("chromium")

    public init() throws {
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw POSIXError(.EIO) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Only its two protocol pipes: none of the test process's other descriptors.
        SpawnActions.closeFrom(5, in: &actions)
        let arguments = [
            Self.executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)", "--window-size=1280,900", "--autoplay-policy=no-user-gesture-required",
            "--mute-audio", "about:blank",
        ]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, Self.executable, &actions, nil, argv, envp)
        close(toBrowser[0])
        close(fromBrowser[1])
        guard status == 0 else { throw POSIXError(.init(rawValue: status) ?? .EIO) }
        self.pid = pid
        commands = toBrowser[1]
        replies = fromBrowser[0]
    }

    deinit {
        close(commands)
        close(replies)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    public struct ProtocolError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends a command (to the page once `open` attached one) and returns its result.
    @discardableResult
    public func send(_ method: String, _ params: [String: Any] = [:], toBrowser: Bool = false) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if !toBrowser, let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(commands, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
                guard written > 0 else { throw ProtocolError(description: "the browser closed its pipe") }
                offset += written
            }
        }
        while true {
            let reply = try readMessage()
            guard reply["id"] as? Int == id else { continue }  // an event, or another reply
            if let error = reply["error"] as? [String: Any] { throw ProtocolError(description: "\(method): \(error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    private func readMessage() throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                return (try JSONSerialization.jsonObject(with: message)) as? [String: Any] ?? [:]
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw ProtocolError(description: "the browser exited") }
            buffer += chunk[..<count]
        }
    }

    /// Opens a page in a new tab and waits (by asking the page) until it has loaded.
    public func open(_ url: String) throws {
        let target = try send("Target.createTarget", ["url": url], toBrowser: true)
        guard let targetID = target["targetId"] as? String else { throw ProtocolError(description: "no target") }
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true], toBrowser: true)
        session = attached["sessionId"] as? String
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            // A new tab is about:blank (and complete) before it starts on the URL asked for.
            if try evaluate("location.href !== 'about:blank' && document.readyState === 'complete'") as? Bool == true { return }
        }
        throw ProtocolError(description: "\(url) did not finish loading")
    }

    /// The value of a JavaScript expression in the page.
    @discardableResult
    public func evaluate(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        return (result["result"] as? [String: Any])?["value"]
    }

    /// The value a JavaScript promise resolves to.
    @discardableResult
    public func evaluateAsync(_ expression: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Waits (in the page, checking every 25 ms) until `condition`, a JavaScript expression, is
    /// true; false when `seconds` pass first. Never a fixed sleep: it returns as soon as it holds.
    public func wait(until condition: String, seconds: Double = 20) throws -> Bool {
        let script = """
            new Promise(resolve => {
              const start = performance.now();
              const check = () => {
                let value = false;
                try { value = Boolean(\(condition)); } catch (error) { value = false; }
                if (value) resolve(true);
                else if (performance.now() - start > \(Int(seconds * 1000))) resolve(false);
                else setTimeout(check, 25);
              };
              check();
            })
            """
        return try evaluateAsync(script) as? Bool ?? false
    }

    /// Presses and releases a key (`ArrowDown`, `Enter`, ` `...) on the focused element, with
    /// the DevTools protocol's modifier bits held (1 Alt, 2 Ctrl, 4 Meta, 8 Shift).
    public func press(_ key: String, modifiers: Int = 0) throws {
        let codes: [String: (code: String, keyCode: Int)] = [
            "ArrowDown": ("ArrowDown", 40), "ArrowUp": ("ArrowUp", 38), "ArrowLeft": ("ArrowLeft", 37),
            "ArrowRight": ("ArrowRight", 39), "Enter": ("Enter", 13), " ": ("Space", 32), "Escape": ("Escape", 27),
        ]
        let (code, keyCode) = codes[key] ?? (key, 0)
        for type in ["keyDown", "keyUp"] {
            try send("Input.dispatchKeyEvent", ["type": type, "key": key, "code": code, "windowsVirtualKeyCode": keyCode, "nativeVirtualKeyCode": keyCode, "modifiers": modifiers])
        }
    }

    /// Gives a file input (found by a CSS selector) these files, as the file chooser would.
    public func choose(files: [String], for selector: String) throws {
        let found = try send("Runtime.evaluate", ["expression": "document.querySelector(\(Self.literal(selector)))"])
        guard let objectID = (found["result"] as? [String: Any])?["objectId"] as? String else { throw ProtocolError(description: "no element \(selector)") }
        try send("DOM.setFileInputFiles", ["files": files, "objectId": objectID])
    }

    /// A string as a JavaScript literal.
    public static func literal(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// Types text as keyboard input into the focused element.
    public func type(_ text: String) throws {
        try send("Input.insertText", ["text": text])
    }

    public func screenshot(to path: String) throws {
        let result = try send("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else { throw ProtocolError(description: "no screenshot") }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }
}
