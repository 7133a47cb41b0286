import GridMapCore

/// Who a request is answered for: the account (nil for the anonymous public), the role by which
/// personal data is disclosed to it (``Disclosure``), and the actor its event actions are recorded
/// as (nil: it may report a problem through the public channel, but take no step of the flow).
///
/// The command line builds one from `--role` and `--as`; the server from the account a session or
/// token belongs to. Either way the jobs receive a viewer and apply the one policy.
public struct Viewer: Sendable, Hashable {
    public var account: String?
    public var role: ResidentRole
    public var actor: EventActor?

    public init(account: String?, role: ResidentRole, actor: EventActor?) {
        self.account = account
        self.role = role
        self.actor = actor
    }

    /// Anyone, not signed in.
    public static let anonymous = Viewer(account: nil, role: .public, actor: nil)

    /// What this viewer may see of people.
    public var disclosure: Disclosure { Disclosure(role) }
}
