import Foundation

/// Where a town's server keeps its accounts, their sessions and bearer tokens, the failed
/// sign-ins it throttles on, and the audit log. Every store has one (``TownStore/accountBook``),
/// kept beside the town: a new import of the town leaves it alone.
///
/// The book holds what it is given and decides nothing: password hashes are made and checked,
/// expiry is set and enforced, throttling is counted, by the application layer (GridMapApp's
/// `Accounts`). Promises (the contract tests check them on every store):
/// - A credential is kept only as the SHA-256 digest of its secret: the secret itself is never
///   stored, so a copy of the store signs nobody in.
/// - Changing an account (a new password, disabling it) ends every session and token it has, in
///   the same transaction.
/// - The audit log is append-only: entries come back in the order they were appended, and the
///   SQLite store refuses any UPDATE or DELETE of them (triggers).
/// - Each call is all or nothing.
public protocol AccountBook: Sendable {
    /// Adds `account`; ``AccountBookError/exists(_:)`` when the name is taken.
    func addAccount(_ account: StoredAccount) throws(AccountBookError)

    /// The account called `name`, nil when there is none.
    func account(named name: String) throws(AccountBookError) -> StoredAccount?

    /// Every account, by name.
    func accounts() throws(AccountBookError) -> [StoredAccount]

    /// Replaces the account of the same name (its password hash, role, disabled state) and ends
    /// every session and token it has; ``AccountBookError/unknownAccount(_:)`` when there is none.
    func updateAccount(_ account: StoredAccount) throws(AccountBookError)

    /// Keeps a new session or token; its account must exist.
    func addCredential(_ credential: StoredCredential) throws(AccountBookError)

    /// The credential whose secret has the SHA-256 `digest`, with its account; nil when none.
    func credential(digest: String) throws(AccountBookError) -> (credential: StoredCredential, account: StoredAccount)?

    /// Moves a credential's expiry to `expires` (a session used again); nothing when it is gone.
    func extendCredential(digest: String, to expires: Date) throws(AccountBookError)

    /// Ends the credential with `digest` (signing out); false when there was none.
    @discardableResult
    func removeCredential(digest: String) throws(AccountBookError) -> Bool

    /// Forgets the credentials that expired before `time`, and the failed sign-ins before
    /// `failuresBefore` (both kept only as long as they count).
    func removeExpired(credentialsBefore time: Date, failuresBefore: Date) throws(AccountBookError)

    /// Notes a failed sign-in.
    func recordFailedSignIn(_ failure: FailedSignIn) throws(AccountBookError)

    /// The failed sign-ins since `time` for `name`, or from `address`, oldest first.
    func failedSignIns(name: String, address: String?, since time: Date) throws(AccountBookError) -> [FailedSignIn]

    /// Forgets the failed sign-ins for `name` (after a successful one).
    func clearFailedSignIns(name: String) throws(AccountBookError)

    /// Appends `entry` to the audit log.
    func appendAudit(_ entry: AuditEntry) throws(AccountBookError)

    /// The audit log's entries at or after `time` (all when nil), in the order they were appended.
    func auditEntries(since time: Date?) throws(AccountBookError) -> [AuditEntry]
}

/// An account as stored.
public struct StoredAccount: Sendable, Hashable {
    /// The name one signs in with; unique.
    public var name: String
    /// The role as text: `office`, `department:CODE`, `grid-worker:GRID` or `resident`.
    public var role: String
    /// Whom the account acts as in the event flow (`DC-017/王五`, `department:water/周工`,
    /// `office/张三`); nil: nobody.
    public var actingAs: String?
    /// The password's hash in the modular crypt format (`$2b$12$…`); never the password.
    public var passwordHash: String
    /// A disabled account signs nobody in, and its sessions and tokens are gone.
    public var disabled: Bool
    public var created: Date
    public var passwordChanged: Date

    public init(name: String, role: String, actingAs: String?, passwordHash: String, disabled: Bool = false,
                created: Date, passwordChanged: Date) {
        (self.name, self.role, self.actingAs, self.passwordHash) = (name, role, actingAs, passwordHash)
        (self.disabled, self.created, self.passwordChanged) = (disabled, created, passwordChanged)
    }
}

/// A session (a browser's cookie) or a bearer token, as stored: the digest of its secret, never
/// the secret.
public struct StoredCredential: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case session
        case token
    }

    /// The SHA-256 of the secret, 64 lower-case hexadecimal digits.
    public var digest: String
    public var kind: Kind
    public var account: String
    public var created: Date
    public var expires: Date
    /// A session's anti-forgery value, which a browser's writes must echo in a header; it grants
    /// nothing without the session's secret. Nil for a token.
    public var csrf: String?

    public init(digest: String, kind: Kind, account: String, created: Date, expires: Date, csrf: String?) {
        (self.digest, self.kind, self.account, self.created, self.expires, self.csrf) = (digest, kind, account, created, expires, csrf)
    }
}

/// A sign-in that failed: the name tried (whether or not it exists) and where from.
public struct FailedSignIn: Sendable, Hashable {
    public var at: Date
    public var name: String
    /// The client's address; nil when unknown.
    public var address: String?

    public init(at: Date, name: String, address: String?) {
        (self.at, self.name, self.address) = (at, name, address)
    }
}

/// One line of the audit log: who did or read what, and when.
public struct AuditEntry: Sendable, Hashable {
    public var at: Date
    /// The account; nil for the public.
    public var account: String?
    /// The client's address; nil when unknown.
    public var address: String?
    /// What was asked: the HTTP method, or the command.
    public var method: String
    /// The path asked (without the query, which may hold search terms).
    public var path: String
    /// The answer's status.
    public var status: Int
    /// The personal data the answer carried, one line per read (e.g. "residents of DC-017: 212").
    public var personalData: [String]

    public init(at: Date, account: String?, address: String?, method: String, path: String, status: Int, personalData: [String]) {
        (self.at, self.account, self.address, self.method, self.path, self.status, self.personalData) =
            (at, account, address, method, path, status, personalData)
    }
}

/// Why an account book operation failed.
public enum AccountBookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An account of this name exists already; nothing was changed.
    case exists(String)
    /// No account has this name; nothing was changed.
    case unknownAccount(String)
    /// The store itself failed (or is open read-only); nothing was changed.
    case store(StoreError)

    public var description: String {
        switch self {
        case .exists(let name): "there is an account \(name) already"
        case .unknownAccount(let name): "there is no account \(name)"
        case .store(let error): error.description
        }
    }
}

extension AccountBookError {
    /// `error` as an account book's error: its own and ``StoreError`` as they are, anything else
    /// (the database's) as ``StoreError/database(operation:reason:)`` for `operation`.
    init(_ error: any Error, _ operation: String) {
        switch error {
        case let error as AccountBookError: self = error
        case let error as StoreError: self = .store(error)
        default: self = .store(.database(operation: operation, reason: "\(error)"))
        }
    }
}
