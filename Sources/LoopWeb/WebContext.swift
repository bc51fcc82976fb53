import Hummingbird
import LoopAPI

/// One request's context: the account asking, once its token is checked.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var account: Account?

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
