#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn file actions that Swift's Glibc module does not declare.
enum SpawnActions {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), looked up at run time:
    /// the module map leaves the GNU extensions out.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Closes every descriptor from `first` on in the child; without the call (an older glibc),
    /// the child keeps what it inherits, as before.
    static func closeFrom(_ first: Int32, in actions: inout posix_spawn_file_actions_t) {
        _ = addCloseFrom?(&actions, first)
    }
}
