import Crypto
import Foundation

/// The 32 random bytes only this server knows: they sign download links and derive each login's
/// CSRF token. Kept in `folder/link.key` (made on first use, readable by this user only), so links
/// and logins survive a restart.
public enum ServerSecret {
    public static func load(folder: String) throws -> Data {
        let path = folder + "/link.key"
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return data }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let data = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return data
    }
}
