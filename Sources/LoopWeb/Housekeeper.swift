#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import LoopAPI
import LoopFiles
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
            try await waitForLoopd()
            await adviseFirstAccount()
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

    /// Returns once loopd answers (loopweb may start first, as the README's run command does),
    /// saying once that it waits.
    func waitForLoopd() async throws {
        var pause = Duration.milliseconds(100)
        var told = false
        while true {
            do {
                _ = try await loopd.call(LoopMethod.status, NoParams())
                if told { logger.info("loopd answers at \(loopd.socketPath).") }
                return
            } catch {
                if !told { logger.notice("Waiting for loopd at \(loopd.socketPath) (\(error)).") }
                told = true
            }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }

    /// With no account yet nobody can log in: says how to make the first one.
    func adviseFirstAccount() async {
        guard let accounts = try? await loopd.call(LoopMethod.accounts, NoParams()), accounts.isEmpty else { return }
        logger.notice("No accounts yet: make an admin with `loopctl user add NAME --role admin` (it reads the password from stdin), then log in with POST /api/v1/session or make a token with `loopctl token create NAME`.")
    }

    /// Unlinks what is old enough, forgets it, and removes the folders that held it.
    public func emptyOnce(now: Date = Date()) async throws -> Int {
        let cutoff = now.timeIntervalSince1970 - Double(keep.components.seconds)
        let items = try await loopd.call(LoopMethod.trashList, TrashListRequest(olderThan: cutoff))
        let gone = TrashFile.removeAll(items.map { ($0.id, $0.trashPath) }) { error in
            logger.warning("Cannot remove \(error.description) from the trash.")
        }
        if !gone.isEmpty { _ = try await loopd.call(LoopMethod.trashForget, TrashItemsRequest(ids: gone)) }
        return gone.count
    }
}
