import Foundation

/// Failed logins, counted per account name and per client address over a window: past the limit
/// further attempts are refused (429) until the oldest failure leaves the window, so passwords
/// cannot be guessed at speed, and one address cannot lock out every name.
actor LoginLimiter {
    let window: TimeInterval
    let perName: Int
    let perAddress: Int
    private var failures: [String: [Date]] = [:]

    init(window: TimeInterval = 15 * 60, perName: Int = 10, perAddress: Int = 30) {
        self.window = window
        self.perName = perName
        self.perAddress = perAddress
    }

    /// Seconds to wait before the next attempt, or nil when one may be made now.
    func wait(name: String, address: String, now: Date = Date()) -> Int? {
        let keys = [("name:" + name.lowercased(), perName), ("address:" + address, perAddress)]
        var longest: TimeInterval?
        for (key, limit) in keys {
            let recent = prune(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                longest = max(longest ?? 0, oldest.addingTimeInterval(window).timeIntervalSince(now))
            }
        }
        return longest.map { max(1, Int($0.rounded(.up))) }
    }

    func failed(name: String, address: String, now: Date = Date()) {
        for key in ["name:" + name.lowercased(), "address:" + address] {
            failures[key, default: []].append(now)
        }
        // Keys nobody has failed with lately go, so made-up names cannot fill memory.
        if failures.count > 50_000 {
            failures = failures.filter { $0.value.last.map { now.timeIntervalSince($0) < window } ?? false }
        }
    }

    func succeeded(name: String) {
        failures["name:" + name.lowercased()] = nil
    }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
