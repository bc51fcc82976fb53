import Hummingbird

/// The start of the URLs put in replies: the configured public URL (behind a proxy), else the
/// address the client used.
public struct PublicLinks: Sendable {
    public let publicURL: String?

    public init(publicURL: String?) {
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    func base(of request: Request) -> String {
        let root = publicURL ?? ("http://" + (request.head.authority ?? "localhost"))
        return root + "/api/v1"
    }
}
