import Hummingbird

/// The start of the URLs put in replies: the configured public URL (behind a proxy), else the
/// address the client used.
public struct PublicLinks: Sendable {
    public let publicURL: String?

    public init(publicURL: String?) {
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Where loopweb is reached: the web app's page.
    func site(of request: Request) -> String {
        publicURL ?? ("http://" + (request.head.authority ?? "localhost"))
    }

    /// Where the API is.
    func base(of request: Request) -> String {
        site(of: request) + "/api/v1"
    }
}
