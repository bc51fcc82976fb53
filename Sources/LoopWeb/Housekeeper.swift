#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import LoopAPI
import ServiceLifecycle

/// Empties the trash of what was deleted longer ago than `keep`, and removes unfinished uploads
/// past their lifetime: once at start, then every hour.
public struct Housekeeper: Service {
    let loopd: LoopdGateway
    let keep: Duration
    let logger: Logger

    public init(loopd: LoopdGateway, keep: Duration, logger: Logger) {
        self.loopd = loopd
        self.keep = keep
        self.logger = logger
    }

    public func run() async throws {
        // The hour's wait ends at shutdown: a sleeping service must not hold the process up.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await emptyOnce()
                    if removed > 0 { logger.info("Emptied \(removed) files from the trash.") }
                    let roots = try await loopd.call(LoopMethod.status, NoParams()).roots.map(\.path)
                    let abandoned = UploadSessions().sweep(in: roots)
                    if abandoned > 0 { logger.info("Removed \(abandoned) unfinished uploads older than a day.") }
                } catch {
                    logger.warning("The trash could not be emptied now: \(error)")
                }
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    /// Unlinks what is old enough, forgets it, and removes the folders that held it.
    public func emptyOnce(now: Date = Date()) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - Double(keep.components.seconds)
        let items = try await loopd.call(LoopMethod.trashList, TrashListRequest(olderThan: cutoff))
        var gone: [Int64] = []
        for item in items {
            if unlink(item.trashPath) == 0 || errno == ENOENT {
                gone.append(item.id)
                rmdir((item.trashPath as NSString).deletingLastPathComponent)
            }
        }
        if !gone.isEmpty { _ = try await loopd.call(LoopMethod.trashForget, TrashItemsRequest(ids: gone)) }
        return gone.count
    }
}
