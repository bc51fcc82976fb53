/// How long to wait before the rescan that follows an inotify overflow: no
/// wait, unless overflows repeat (three within ten seconds, as watchman
/// counts them); then 100 ms, doubling with each further overflow up to
/// 10 s. A quiet spell of ten seconds resets it.
struct OverflowBackoff {
    static let window: Duration = .seconds(10)
    static let overflowsBeforeBackoff = 3
    static let shortest: Duration = .milliseconds(100)
    static let longest: Duration = .seconds(10)

    private var recent: [ContinuousClock.Instant] = []
    /// The wait chosen for the latest overflow.
    private(set) var delay: Duration = .zero

    /// Records an overflow seen at `now` and returns how long to wait before rescanning.
    mutating func overflowed(at now: ContinuousClock.Instant) -> Duration {
        recent = recent.filter { now - $0 < Self.window } + [now]
        if recent.count >= Self.overflowsBeforeBackoff {
            delay = delay == .zero ? Self.shortest : min(delay * 2, Self.longest)
        } else {
            delay = .zero
        }
        return delay
    }
}
