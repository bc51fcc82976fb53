/// What can go wrong with the shared catalogue, each as one sentence for the user.
public enum CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The URL or host name given cannot be used.
    case badSettings(String)
    /// PostgreSQL refused or could not be reached.
    case unreachable(String)
    /// The catalogue was made by a newer OpenLoop than this one.
    case newerSchema(found: Int, known: Int)

    public var description: String {
        switch self {
        case let .badSettings(message): message
        case let .unreachable(message): "The catalogue cannot be reached: \(message)"
        case let .newerSchema(found, known):
            "The catalogue's schema is version \(found), newer than this loopweb knows (\(known)); update loopweb on this server."
        }
    }
}
