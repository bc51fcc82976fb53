import ArgumentParser
import LoopRPC

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what the daemon is doing and how big the index is.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report: StatusReport = try global.withClient { client throws(RPCClientError) in try client.call(LoopMethod.status) }
        if global.json { return try global.printJSON(report) }
        print("loopd \(report.version) (pid \(report.pid)), up \(Formatting.duration(report.uptimeSeconds))")
        for root in report.roots { print("Library:  \(root.path) (\(root.state))") }
        print("Index:    \(report.files) files, \(report.errors) unreadable, \(Formatting.duration(report.audioSeconds)) of audio, \(Formatting.bytes(report.bytes))")
        if report.offlineFiles > 0 { print("Offline:  \(report.offlineFiles) files kept while their folder or disk is missing") }
        if report.overflows > 0 { print("Overflows: \(report.overflows) (the kernel dropped events; each was followed by a rescan)") }
        let activity = report.scanning ? "scanning" : (report.pending + report.inFlight > 0 ? "analysing" : "idle")
        print("Activity: \(activity); \(report.pending) queued, \(report.inFlight) in progress, \(report.analyzedSinceStart) analysed since start, \(report.workers) workers")
        print("Watches:  \(report.watches) folders" + (report.watchFailures.isEmpty ? "" : ", \(report.watchFailures.count) failed"))
        for folder in report.unreadableFolders.prefix(5) { print("Unreadable: \(folder)") }
        if report.unwatchedFolders > 0 {
            print("Degraded: \(report.unwatchedFolders) folders are polled, not watched: raise fs.inotify.max_user_watches")
        }
        for failure in report.watchFailures.prefix(5) { print("          \(failure)") }
        print("Database: \(report.database)")
        print("Socket:   \(report.socket)")
    }
}
