import Crypto
import Foundation
import GridMapCore
import GridStore
import HummingbirdBcrypt
import Synchronization

/// What a sign-in gives: a browser's session (a cookie) or a client's bearer token.
public enum CredentialKind: String, Sendable, Hashable {
    case session
    case token
}

/// A signed-in account's new credential. ``secret`` is shown here once: the store keeps only its
/// SHA-256.
public struct SignedIn: Sendable {
    public var secret: String
    public var kind: CredentialKind
    /// A session's anti-forgery value, which the browser's writes echo in `X-CSRF-Token`.
    public var csrf: String?
    public var expires: Date
    public var account: UserAccount
}

/// Why a sign-in got no credential.
public enum SignInError: Error, Sendable, Hashable {
    /// The name or the password is wrong, or the account is disabled: one answer for all, so that
    /// nobody learns which names exist.
    case refused
    /// Too many failures for this name or from this address: try again after this many seconds.
    case throttled(retryAfter: Int)
    /// The store failed.
    case failed(JobError)
}

/// Who a session or token stands for, as of this request.
public struct Authentication: Sendable {
    public var viewer: Viewer
    public var kind: CredentialKind
    /// When the credential ends unless used again (a session) or at all (a token).
    public var expires: Date
    /// A session's anti-forgery value (nil for a token), which `GET /auth/me` gives back to a page
    /// signed in by a plain form post.
    public let csrf: String?

    /// Whether `header` (the request's `X-CSRF-Token`) is this session's anti-forgery value,
    /// compared in constant time. A token has none: a bearer request is not a browser's.
    public func accepts(csrf header: String?) -> Bool {
        guard let csrf, let header else { return false }
        let (expected, given) = (Array(csrf.utf8), Array(header.utf8))
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The sign-in throttle: after ``limit`` failures for one name, or from one address, within
/// ``window``, sign-in for that name (or from that address) is refused for ``lockout`` from
/// the failure that reached the limit. Refused attempts are not counted, so the lock ends on time.
public enum SignInThrottle {
    public static let limit = 5
    public static let window: TimeInterval = 15 * 60
    public static let lockout: TimeInterval = 15 * 60

    /// Until when failures at `times` (oldest first) lock sign-in; nil when they do not.
    static func lockedUntil(_ times: [Date]) -> Date? {
        guard times.count >= limit else { return nil }
        var until: Date?
        for index in (limit - 1)..<times.count where times[index].timeIntervalSince(times[index - limit + 1]) < window {
            until = times[index].addingTimeInterval(lockout)
        }
        return until
    }
}

extension Accounts {
    /// Signs `name` in with `password`, from `address`, and makes a session or a token.
    public func signIn(name: String, password: String, address: String?, as kind: CredentialKind) throws(SignInError) -> SignedIn {
        let now = clock()
        do {
            let since = now.addingTimeInterval(-(SignInThrottle.window + SignInThrottle.lockout))
            let failures = try book.failedSignIns(name: name, address: address, since: since)
            let locks = [SignInThrottle.lockedUntil(failures.filter { $0.name == name }.map(\.at)),
                         address.flatMap { address in SignInThrottle.lockedUntil(failures.filter { $0.address == address }.map(\.at)) }]
            if let until = locks.compactMap({ $0 }).max(), until > now {
                throw SignInError.throttled(retryAfter: Int(until.timeIntervalSince(now).rounded(.up)))
            }
            let account = try book.account(named: name)
            // An unknown name is checked against a hash too, so that it takes as long as a known one.
            let matches = Bcrypt.verify(password, hash: account?.passwordHash ?? Self.unknownNameHash(cost: passwordCost))
            guard let account, matches, !account.disabled else {
                try book.recordFailedSignIn(FailedSignIn(at: now, name: name, address: address))
                throw SignInError.refused
            }
            try book.clearFailedSignIns(name: name)
            try book.removeExpired(credentialsBefore: now, failuresBefore: since)
            return try issue(kind, for: Self.user(account), at: now)
        } catch let error as SignInError {
            throw error
        } catch let error as AccountBookError {
            throw .failed(Self.jobError(error))
        } catch let error as JobError {
            throw .failed(error)
        } catch {
            throw .failed(.failed(error))
        }
    }

    /// A new bearer token for `account`, signed in already (a session asking for a token for a
    /// desktop client); refused for a disabled or unknown account.
    public func token(for account: String) throws(JobError) -> SignedIn {
        let stored = try stored(account)
        guard !stored.disabled else { throw .forbidden("The account \(account) is disabled.") }
        return try issue(.token, for: Self.user(stored), at: clock())
    }

    /// Who `secret` stands for, when it is a live `kind` credential of an enabled account; nil
    /// otherwise (unknown, expired, of the other kind, or its account disabled). A session used
    /// again is extended to ``sessionIdleLifetime`` from now (written at most once a minute).
    public func authenticate(_ secret: String, as kind: CredentialKind) throws(JobError) -> Authentication? {
        let now = clock()
        let digest = Self.digest(secret)
        guard let (credential, account) = try booked({ () throws(AccountBookError) in try book.credential(digest: digest) }),
              credential.kind.rawValue == kind.rawValue, !account.disabled else { return nil }
        // The two writes below only tidy and extend: a store that cannot take them (served
        // read-only) still answers, with the session ending on its first expiry.
        guard credential.expires > now else {
            _ = try? book.removeCredential(digest: digest)
            return nil
        }
        var expires = credential.expires
        if kind == .session, now.addingTimeInterval(Self.sessionIdleLifetime).timeIntervalSince(expires) > 60,
           (try? book.extendCredential(digest: digest, to: now.addingTimeInterval(Self.sessionIdleLifetime))) != nil {
            expires = now.addingTimeInterval(Self.sessionIdleLifetime)
        }
        return Authentication(viewer: viewer(try Self.user(account)), kind: kind, expires: expires, csrf: credential.csrf)
    }

    /// Ends the session or token `secret`; false when it was not live.
    @discardableResult
    public func signOut(_ secret: String) throws(JobError) -> Bool {
        try booked { () throws(AccountBookError) in try book.removeCredential(digest: Self.digest(secret)) }
    }

    private func issue(_ kind: CredentialKind, for account: UserAccount, at now: Date) throws(JobError) -> SignedIn {
        let secret = Self.randomSecret()
        let csrf = kind == .session ? Self.randomSecret() : nil
        let expires = now.addingTimeInterval(kind == .session ? Self.sessionIdleLifetime : Self.tokenLifetime)
        let credential = StoredCredential(digest: Self.digest(secret), kind: kind == .session ? .session : .token, account: account.name,
                                          created: now, expires: expires, csrf: csrf)
        try booked { () throws(AccountBookError) in try book.addCredential(credential) }
        return SignedIn(secret: secret, kind: kind, csrf: csrf, expires: expires, account: account)
    }

    /// 32 bytes from the system's cryptographic generator (getrandom on Linux), base64url.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The SHA-256 of `secret`, in lower-case hexadecimal: what the store keeps.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A bcrypt hash of a password nobody has, at `cost`, checked when the name is unknown so
    /// that the answer takes as long as for a known name. Made once per cost.
    static func unknownNameHash(cost: UInt8) -> String {
        unknownNameHashes.withLock { hashes in
            if let hash = hashes[cost] { return hash }
            let hash = Bcrypt.hash(randomSecret(), cost: cost)
            hashes[cost] = hash
            return hash
        }
    }

    private static let unknownNameHashes = Mutex<[UInt8: String]>([:])
}
