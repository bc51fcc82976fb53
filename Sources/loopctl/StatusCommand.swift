import ArgumentParser
import Foundation
import LoopAPI
import LoopRPC

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show what the daemon is doing and how big the index is.",
        discussion: "Exits 7 while the index cannot be written (disk full, I/O error), so a health check sees it."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report: StatusReport = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.status) }
        defer { if report.storageError != nil { Foundation.exit(ExitCodes.failure) } }
        if global.json { return try global.printJSON(report) }
        if let storageError = report.storageError { output("FAILING:  \(storageError)") }
        output("loopd \(report.version) (pid \(report.pid)), up \(Formatting.duration(report.uptimeSeconds))")
        for root in report.roots { output("Library:  \(root.path) (\(root.state))") }
        output("Index:    \(report.files) files, \(report.errors) unreadable, \(Formatting.duration(report.audioSeconds)) of audio, \(Formatting.bytes(report.bytes))")
        if report.offlineFiles > 0 { output("Offline:  \(report.offlineFiles) files kept while their folder or disk is missing") }
        if report.overflows > 0 { output("Overflows: \(report.overflows) (the kernel dropped events; each was followed by a rescan)") }
        let activity = report.scanning ? "scanning" : (report.pending + report.inFlight > 0 ? "analysing" : "idle")
        output("Activity: \(activity); \(report.pending) queued, \(report.inFlight) in progress, \(report.analyzedSinceStart) analysed since start, \(report.workers) workers")
        output("Watches:  \(report.watches) folders" + (report.watchFailures.isEmpty ? "" : ", \(report.watchFailures.count) failed"))
        for folder in report.unreadableFolders.prefix(5) { output("Unreadable: \(folder)") }
        if report.unwatchedFolders > 0 {
            output("Degraded: \(report.unwatchedFolders) folders are polled, not watched: raise fs.inotify.max_user_watches")
        }
        for failure in report.watchFailures.prefix(5) { output("          \(failure)") }
        if let failures = report.viewsFailures, let first = failures.first {
            output("Views:    not up to date: \(first)" + (failures.count > 1 ? " (and \(failures.count - 1) more)" : ""))
        }
        output("Database: \(report.database)")
        output("Socket:   \(report.socket)")
    }
}
