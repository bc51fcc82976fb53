/// How view entries point at samples.
public enum ViewLinkKind: String, Sendable, CaseIterable {
    /// Relative symbolic links: Samba serves links inside the share as plain files.
    case symlink
    /// Hard links, for setups that refuse symlinks (same file system only).
    case hardlink
}
