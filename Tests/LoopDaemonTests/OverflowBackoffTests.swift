import Testing
@testable import LoopDaemon

@Suite struct OverflowBackoffTests {
    let start = ContinuousClock.now

    @Test func aLoneOverflowRescansAtOnce() {
        var backoff = OverflowBackoff()
        #expect(backoff.overflowed(at: start) == .zero)
        #expect(backoff.overflowed(at: start + .seconds(11)) == .zero, "ten quiet seconds apart")
        #expect(backoff.overflowed(at: start + .seconds(22)) == .zero)
    }

    @Test func repeatedOverflowsBackOffDoublingToTenSeconds() {
        var backoff = OverflowBackoff()
        let delays = (0..<12).map { backoff.overflowed(at: start + .milliseconds(500 * $0)) }
        #expect(delays == [
            .zero, .zero, .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
            .milliseconds(1600), .milliseconds(3200), .milliseconds(6400), .seconds(10), .seconds(10), .seconds(10),
        ])
    }

    @Test func aQuietSpellResetsTheBackoff() {
        var backoff = OverflowBackoff()
        for second in 0..<5 { _ = backoff.overflowed(at: start + .seconds(second)) }
        #expect(backoff.delay == .milliseconds(400))
        #expect(backoff.overflowed(at: start + .seconds(20)) == .zero)
        #expect(backoff.overflowed(at: start + .seconds(21)) == .zero)
        #expect(backoff.overflowed(at: start + .seconds(22)) == .milliseconds(100))
    }
}
