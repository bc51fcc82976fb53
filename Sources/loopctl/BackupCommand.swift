#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Crypto
import Foundation
import LoopAPI
import LoopCore
import LoopFiles
import LoopRPC

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the index database while loopd runs.",
        discussion: """
            loopd copies the index with SQLite's online backup into its own state folder; loopctl reads \
            the copy over the socket and writes FILE with your own rights (mode 0600: the copy holds every \
            user's favourites and collections), checked against the copy's SHA-256. Needs write access. \
            To restore: stop loopd, copy the backup over index.sqlite in loopd's state folder (and delete \
            index.sqlite-wal and index.sqlite-shm beside it), then start loopd; it rescans the library \
            and catches up with files changed since.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Where to write the copy.")
    var file: String

    struct Report: Codable {
        var path: String
        var bytes: Int64
        var sha256: String
    }

    func run() throws {
        let destination = absolute(file)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder), isFolder.boolValue {
            complain("\(destination) is a folder; name the file to write.")
            throw ExitCode.usage
        }
        // Not even root may write a backup over loopd's own files (a copy over its write-ahead log loses data).
        let status: StatusReport = try global.call(LoopMethod.status)
        let stateFolder = FileName.realPath((status.database as NSString).deletingLastPathComponent)
        if let stateFolder, FileName.realPath((destination as NSString).deletingLastPathComponent) == stateFolder {
            complain("\(destination) is in loopd's state folder; write the backup somewhere else.")
            throw ExitCode.usage
        }
        let snapshot: BackupSnapshot = try global.call(LoopMethod.backup)
        defer { _ = try? global.call(LoopMethod.backupFinish, BackupToken(token: snapshot.token)) }
        let temporary = destination + ".partial-\(getpid())"
        // O_EXCL and O_NOFOLLOW: the temporary name is ours alone, never a link planted there.
        let fd = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            complain("Cannot write \(destination): \(String(cString: strerror(errno))).")
            throw ExitCode.ioFailure
        }
        var written: Int64 = 0
        var hasher = SHA256()
        let progress = ProgressLine("Backing up", files: 1, bytes: snapshot.bytes)
        do {
            defer { close(fd) }
            while written < snapshot.bytes {
                let chunk: BackupChunk = try global.call(LoopMethod.backupRead, BackupReadRequest(token: snapshot.token, offset: written, length: BackupReadRequest.maxLength))
                guard !chunk.data.isEmpty else { throw BackupFailure("the copy ended after \(written) of \(snapshot.bytes) bytes") }
                try chunk.data.withUnsafeBytes { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let done = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                        if done < 0 && errno == EINTR { continue }
                        guard done > 0 else { throw BackupFailure("cannot write \(destination): \(String(cString: strerror(errno)))") }
                        offset += done
                    }
                }
                hasher.update(data: chunk.data)
                written += Int64(chunk.data.count)
                progress.update(file: 0, bytes: written)
            }
            guard ContentHasher.hex(hasher.finalize()) == snapshot.sha256 else { throw BackupFailure("the bytes written do not match the copy's SHA-256") }
            guard fsync(fd) == 0 else { throw BackupFailure("cannot flush \(destination) to disk: \(String(cString: strerror(errno)))") }
            guard rename(temporary, destination) == 0 else { throw BackupFailure("cannot put \(destination) in place: \(String(cString: strerror(errno)))") }
        } catch let failure as BackupFailure {
            unlink(temporary)
            progress.finish()
            complain("Backup failed: \(failure.reason).")
            throw ExitCode.ioFailure
        } catch {
            unlink(temporary)
            progress.finish()
            throw error
        }
        progress.finish()
        let report = Report(path: destination, bytes: written, sha256: snapshot.sha256)
        if global.json { return try global.printJSON(report) }
        output("Backed up the index to \(destination) (\(Formatting.bytes(written)), SHA-256 checked).")
    }

    private struct BackupFailure: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show who loopd takes you for, and whether you may change shared data.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report: CallerReport = try global.call(LoopMethod.whoami)
        if global.json { return try global.printJSON(report) }
        output("\(report.user) (uid \(report.uid)): \(report.writer ? "may change shared data" : "may read, and change only your favourites and private collections").")
    }
}
