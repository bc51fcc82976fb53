import Logging
import ServiceLifecycle

/// The pipeline's lifetime as a service: started by the RPC service the moment its socket is
/// bound (so a refused start changes nothing), stopped when the group shuts down, last, so
/// that every other part has finished with it: no new events, the workers finish their files,
/// the writer commits the last results, the index closes.
struct PipelineService: Service {
    let components: DaemonComponents
    let logger: Logger

    func run() async throws {
        // Cancelled (another service failed) or shut down gracefully: stop either way.
        try? await gracefulShutdown()
        components.stop()
        logger.info("loopd stopped; the index is closed.")
    }
}
