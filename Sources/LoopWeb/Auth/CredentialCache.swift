import Foundation
import LoopAPI

/// Accounts of tokens and sessions loopd confirmed a moment ago, so that a page of requests costs
/// one check, not one each. An entry lives `lifetime` seconds: a revoked token or a changed role
/// takes effect within that time (a logout here, at once).
actor CredentialCache {
    private var entries: [String: (account: Account, until: Date)] = [:]
    let lifetime: TimeInterval
    /// Past this many entries the oldest half goes: a flood of made-up tokens cannot grow it.
    let capacity: Int

    init(lifetime: TimeInterval = 30, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func account(for credential: String, now: Date = Date()) -> Account? {
        guard let entry = entries[credential] else { return nil }
        if entry.until <= now {
            entries[credential] = nil
            return nil
        }
        return entry.account
    }

    func keep(_ account: Account, for credential: String, now: Date = Date()) {
        if entries.count >= capacity {
            let sorted = entries.sorted { $0.value.until < $1.value.until }
            for (key, _) in sorted.prefix(capacity / 2) { entries[key] = nil }
        }
        entries[credential] = (account, now.addingTimeInterval(lifetime))
    }

    func forget(_ credential: String) {
        entries[credential] = nil
    }

    /// Drops every credential of an account whose role changed or that was removed, so this
    /// server acts on it at once.
    func forget(accountNamed name: String) {
        let lowered = name.lowercased()
        entries = entries.filter { $0.value.account.name.lowercased() != lowered }
    }
}
