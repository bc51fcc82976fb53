#if DEBUG
import ServiceLifecycle
import UnixSignals

/// Test builds only: SIGUSR2 freezes the index writer, so a test can see the watchdog pings stop.
struct WriterFreezer: Service {
    let components: DaemonComponents

    func run() async throws {
        await cancelWhenGracefulShutdown { [components] in
            for await _ in await UnixSignalsSequence(trapping: .sigusr2) { components.writer.freezeForTesting() }
        }
    }
}
#endif
