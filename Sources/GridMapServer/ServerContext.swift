import Hummingbird
import GridMapApp

/// The per-request context every route gets: Hummingbird's own storage, and who is asking.
///
/// ``viewer`` starts as the anonymous public and is set once, by the authentication middleware,
/// from the request's session or bearer token; routes read it and hand it to the application
/// layer, which decides what that viewer may see (``Disclosure``). No route decides that itself.
/// Request bodies are read through ``ServerServices/body(of:)``, which applies the server's
/// size limit.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking: the public until a credential says otherwise.
    public var viewer: Viewer = .anonymous {
        didSet { note.account = viewer.account }
    }
    /// Shared with the outer middleware: the account (for the access log) and the personal data
    /// the answer carried (for the audit log).
    public let note = RequestNote()
    /// The client's IP address, for the sign-in throttle and the audit log; nil when unknown.
    public let clientAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
