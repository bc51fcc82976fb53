import Foundation

/// Collects values that arrive on other threads and lets a test wait for a
/// condition on them. The deadline only bounds a failure: a passing test
/// returns as soon as the condition holds.
public final class Collector<Value: Sendable>: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var values: [Value] = []

    public init() {}

    public func append(_ value: Value) {
        condition.lock()
        values.append(value)
        condition.broadcast()
        condition.unlock()
    }

    public var all: [Value] {
        condition.lock()
        defer { condition.unlock() }
        return values
    }

    /// Waits until `predicate` holds for the collected values; returns false if `timeout` passes first.
    /// The default is generous because a loaded CI machine may start a Dispatch worker seconds late.
    @discardableResult
    public func wait(timeout: TimeInterval = 60, until predicate: ([Value]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !predicate(values) {
            if !condition.wait(until: deadline) { return predicate(values) }
        }
        return true
    }
}

/// Polls until `condition` holds, for what is asynchronous by design (publishing, heartbeats) and
/// has no event to wait on; a condition that throws (as before a table exists) counts as not yet.
/// False after `timeout`.
public func eventually(_ timeout: TimeInterval = 60, _ condition: () throws -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if (try? condition()) == true { return true }
        usleep(20_000)
    }
    return (try? condition()) == true
}
