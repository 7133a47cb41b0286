import Foundation

/// The account book of an ``InMemoryTownStore``: the same promises as the SQLite one (the
/// contract tests run on both), kept in arrays under one lock.
final class InMemoryAccountBook: AccountBook, @unchecked Sendable {
    // @unchecked Sendable: `records` is the only mutable stored property, read and written only
    // inside `withRecords`, under `lock`; what leaves the lock is a `Sendable` value.
    private let lock = NSLock()
    private var records = Records()

    private struct Records {
        var accounts: [String: StoredAccount] = [:]
        var credentials: [String: StoredCredential] = [:]
        var failures: [FailedSignIn] = []
        var audit: [AuditEntry] = []
    }

    /// Runs `body` on the records under the lock, all or nothing: they change only if it returns.
    private func withRecords<T>(_ body: (inout Records) throws(AccountBookError) -> T) throws(AccountBookError) -> T {
        lock.lock()
        defer { lock.unlock() }
        var copy = records
        let result = try body(&copy)
        records = copy
        return result
    }

    func addAccount(_ account: StoredAccount) throws(AccountBookError) {
        try withRecords { records throws(AccountBookError) in
            guard records.accounts[account.name] == nil else { throw .exists(account.name) }
            records.accounts[account.name] = account
        }
    }

    func account(named name: String) throws(AccountBookError) -> StoredAccount? {
        try withRecords { $0.accounts[name] }
    }

    func accounts() throws(AccountBookError) -> [StoredAccount] {
        try withRecords { $0.accounts.values.sorted { $0.name < $1.name } }
    }

    func updateAccount(_ account: StoredAccount) throws(AccountBookError) {
        try withRecords { records throws(AccountBookError) in
            guard records.accounts[account.name] != nil else { throw .unknownAccount(account.name) }
            records.accounts[account.name] = account
            records.credentials = records.credentials.filter { $0.value.account != account.name }
        }
    }

    func addCredential(_ credential: StoredCredential) throws(AccountBookError) {
        try withRecords { records throws(AccountBookError) in
            guard records.accounts[credential.account] != nil else { throw .unknownAccount(credential.account) }
            records.credentials[credential.digest] = credential
        }
    }

    func credential(digest: String) throws(AccountBookError) -> (credential: StoredCredential, account: StoredAccount)? {
        try withRecords { records in
            records.credentials[digest].flatMap { credential in records.accounts[credential.account].map { (credential, $0) } }
        }
    }

    func extendCredential(digest: String, to expires: Date) throws(AccountBookError) {
        try withRecords { $0.credentials[digest]?.expires = expires }
    }

    func removeCredential(digest: String) throws(AccountBookError) -> Bool {
        try withRecords { $0.credentials.removeValue(forKey: digest) != nil }
    }

    func removeExpired(credentialsBefore time: Date, failuresBefore: Date) throws(AccountBookError) {
        try withRecords { records in
            records.credentials = records.credentials.filter { $0.value.expires >= time }
            records.failures.removeAll { $0.at < failuresBefore }
        }
    }

    func recordFailedSignIn(_ failure: FailedSignIn) throws(AccountBookError) {
        try withRecords { $0.failures.append(failure) }
    }

    func failedSignIns(name: String, address: String?, since time: Date) throws(AccountBookError) -> [FailedSignIn] {
        try withRecords { records in
            // Stable: failures at one time keep the order they were noted in, as SQLite's rowid does.
            records.failures.filter { $0.at >= time && ($0.name == name || (address != nil && $0.address == address)) }
                .enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        }
    }

    func clearFailedSignIns(name: String) throws(AccountBookError) {
        try withRecords { $0.failures.removeAll { $0.name == name } }
    }

    func appendAudit(_ entry: AuditEntry) throws(AccountBookError) {
        try withRecords { $0.audit.append(entry) }
    }

    func auditEntries(since time: Date?) throws(AccountBookError) -> [AuditEntry] {
        try withRecords { records in records.audit.filter { entry in time.map { entry.at >= $0 } ?? true } }
    }
}
