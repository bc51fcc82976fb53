#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation

/// A password from stdin: asked for without echo on a terminal, else the first line (so that
/// scripts can pipe it in and it never appears in a process list).
enum PasswordInput {
    static func read(prompt: String) throws -> String {
        let line: String?
        if isatty(STDIN_FILENO) == 1 {
            line = readWithoutEcho(prompt: prompt)
        } else {
            line = readLine(strippingNewline: true)
        }
        guard let line, !line.isEmpty else {
            throw ValidationError("No password on stdin: type one, or pipe it in (or give --no-password).")
        }
        return line
    }

    private static func readWithoutEcho(prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true)
    }
}
