import Foundation
@testable import LoopWeb
import Testing

@Suite struct SignedLinksTests {
    let links = SignedLinks(key: Data(repeating: 7, count: 32))

    @Test func aLinkNamesItsSoundUntilItExpires() {
        let token = links.token(id: 42, expires: 1_000)
        #expect(links.check(token, now: 999) == .valid(id: 42))
        #expect(links.check(token, now: 1_000) == .valid(id: 42))
        #expect(links.check(token, now: 1_001) == .expired)
        #expect(token.count == 64 && !token.contains("/") && !token.contains("+") && !token.contains("="), "URL-safe: \(token)")
    }

    @Test func aLinkMadeOrChangedElsewhereIsRefused() {
        let token = links.token(id: 42, expires: 1_000)
        let other = SignedLinks(key: Data(repeating: 8, count: 32))
        #expect(other.check(token, now: 0) == .invalid, "another server's key")
        // Every single-character change, in the id, the expiry or the MAC, is caught.
        for index in token.indices {
            var changed = token
            changed.replaceSubrange(index...index, with: token[index] == "A" ? "B" : "A")
            #expect(links.check(changed, now: 0) == .invalid, "changed at \(token.distance(from: token.startIndex, to: index))")
        }
        for junk in ["", "x", String(repeating: "A", count: 64), String(repeating: "A", count: 500), "../../etc/passwd", token + "AAAA"] {
            #expect(links.check(junk, now: 0) == .invalid, "\(junk.prefix(20))")
        }
    }

    @Test func theKeyIsKeptAcrossRestartsAndPrivate() throws {
        let folder = NSTemporaryDirectory() + "links-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = SignedLinks(key: try ServerSecret.load(folder: folder))
        let again = SignedLinks(key: try ServerSecret.load(folder: folder))
        #expect(again.check(first.token(id: 1, expires: 10), now: 0) == .valid(id: 1))
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/link.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
