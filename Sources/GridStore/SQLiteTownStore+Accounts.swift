import Foundation
import GRDB

extension SQLiteTownStore {
    /// The accounts, sessions, failed sign-ins and audit log, in this store's file.
    public var accountBook: any AccountBook { SQLiteAccountBook(database: database, location: location, access: access) }
}

/// The account book in a store's SQLite file (schema "v5: accounts, sessions and the audit log").
/// Times are stored as seconds since 1970 (REAL), as the event log stores them. The audit log's
/// triggers refuse any UPDATE or DELETE, so that what it says cannot be edited through SQL
/// without dropping them first.
struct SQLiteAccountBook: AccountBook {
    let database: any DatabaseWriter
    let location: String
    let access: SQLiteTownStore.Access

    static let schema = """
        CREATE TABLE accounts (
            name TEXT PRIMARY KEY NOT NULL,
            role TEXT NOT NULL,
            acting_as TEXT,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            password_changed_at REAL NOT NULL
        );
        CREATE TABLE credentials (
            digest TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('session', 'token')),
            account TEXT NOT NULL REFERENCES accounts(name),
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            csrf TEXT
        );
        CREATE INDEX credentials_account ON credentials(account);
        CREATE TABLE sign_in_failures (
            at REAL NOT NULL,
            name TEXT NOT NULL,
            address TEXT
        );
        CREATE INDEX sign_in_failures_name ON sign_in_failures(name, at);
        CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            account TEXT,
            address TEXT,
            method TEXT NOT NULL,
            path TEXT NOT NULL,
            status INTEGER NOT NULL,
            personal_data TEXT NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """

    private static let accountColumns = "name, role, acting_as, password_hash, disabled, created_at, password_changed_at"
    private static let credentialColumns = "digest, kind, account, created_at, expires_at, csrf"

    func addAccount(_ account: StoredAccount) throws(AccountBookError) {
        try write("adding the account \(account.name)") { db in
            if try Self.account(account.name, db) != nil { throw AccountBookError.exists(account.name) }
            try db.execute(sql: "INSERT INTO accounts (\(Self.accountColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)", arguments: StatementArguments(Self.arguments(account)))
        }
    }

    func account(named name: String) throws(AccountBookError) -> StoredAccount? {
        try read("reading the account \(name)") { db in try Self.account(name, db) }
    }

    func accounts() throws(AccountBookError) -> [StoredAccount] {
        try read("reading the accounts") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.accountColumns) FROM accounts ORDER BY name").map { Self.account($0) }
        }
    }

    func updateAccount(_ account: StoredAccount) throws(AccountBookError) {
        try write("changing the account \(account.name)") { db in
            guard try Self.account(account.name, db) != nil else { throw AccountBookError.unknownAccount(account.name) }
            try db.execute(sql: "DELETE FROM credentials WHERE account = ?", arguments: [account.name])
            try db.execute(sql: """
                UPDATE accounts SET role = ?, acting_as = ?, password_hash = ?, disabled = ?, created_at = ?, password_changed_at = ?
                WHERE name = ?
                """, arguments: StatementArguments(Array(Self.arguments(account).dropFirst())) + [account.name])
        }
    }

    func addCredential(_ credential: StoredCredential) throws(AccountBookError) {
        try write("keeping a \(credential.kind.rawValue) of \(credential.account)") { db in
            guard try Self.account(credential.account, db) != nil else { throw AccountBookError.unknownAccount(credential.account) }
            try db.execute(sql: "INSERT INTO credentials (\(Self.credentialColumns)) VALUES (?, ?, ?, ?, ?, ?)", arguments: [
                credential.digest, credential.kind.rawValue, credential.account, credential.created.timeIntervalSince1970,
                credential.expires.timeIntervalSince1970, credential.csrf,
            ])
        }
    }

    func credential(digest: String) throws(AccountBookError) -> (credential: StoredCredential, account: StoredAccount)? {
        try read("reading a credential") { db in
            let columns = Self.credentialColumns.split(separator: ", ").map { "c.\($0)" } + Self.accountColumns.split(separator: ", ").map { "a.\($0)" }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(columns.joined(separator: ", ")) FROM credentials c JOIN accounts a ON a.name = c.account WHERE c.digest = ?
                """), arguments: [digest]) else { return nil }
            let kindText: String = row[1]
            guard let kind = StoredCredential.Kind(rawValue: kindText) else { throw StoreError.corrupt("credentials, column kind: '\(kindText)'") }
            let credential = StoredCredential(digest: row[0], kind: kind, account: row[2], created: Date(timeIntervalSince1970: row[3]),
                                              expires: Date(timeIntervalSince1970: row[4]), csrf: row[5])
            return (credential, Self.account(row, from: 6))
        }
    }

    func extendCredential(digest: String, to expires: Date) throws(AccountBookError) {
        try write("extending a session") { db in
            try db.execute(sql: "UPDATE credentials SET expires_at = ? WHERE digest = ?", arguments: [expires.timeIntervalSince1970, digest])
        }
    }

    func removeCredential(digest: String) throws(AccountBookError) -> Bool {
        try write("ending a session") { db in
            try db.execute(sql: "DELETE FROM credentials WHERE digest = ?", arguments: [digest])
            return db.changesCount > 0
        }
    }

    func removeExpired(credentialsBefore time: Date, failuresBefore: Date) throws(AccountBookError) {
        try write("forgetting expired sessions") { db in
            try db.execute(sql: "DELETE FROM credentials WHERE expires_at < ?", arguments: [time.timeIntervalSince1970])
            try db.execute(sql: "DELETE FROM sign_in_failures WHERE at < ?", arguments: [failuresBefore.timeIntervalSince1970])
        }
    }

    func recordFailedSignIn(_ failure: FailedSignIn) throws(AccountBookError) {
        try write("noting a failed sign-in") { db in
            try db.execute(sql: "INSERT INTO sign_in_failures (at, name, address) VALUES (?, ?, ?)",
                           arguments: [failure.at.timeIntervalSince1970, failure.name, failure.address])
        }
    }

    func failedSignIns(name: String, address: String?, since time: Date) throws(AccountBookError) -> [FailedSignIn] {
        try read("reading failed sign-ins") { db in
            try Row.fetchAll(db, sql: """
                SELECT at, name, address FROM sign_in_failures WHERE at >= ? AND (name = ? OR address = ?) ORDER BY at, rowid
                """, arguments: [time.timeIntervalSince1970, name, address]).map {
                FailedSignIn(at: Date(timeIntervalSince1970: $0[0]), name: $0[1], address: $0[2])
            }
        }
    }

    func clearFailedSignIns(name: String) throws(AccountBookError) {
        try write("forgetting failed sign-ins") { db in
            try db.execute(sql: "DELETE FROM sign_in_failures WHERE name = ?", arguments: [name])
        }
    }

    func appendAudit(_ entry: AuditEntry) throws(AccountBookError) {
        try write("appending to the audit log") { db in
            try db.execute(sql: """
                INSERT INTO audit_log (at, account, address, method, path, status, personal_data) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.at.timeIntervalSince1970, entry.account, entry.address, entry.method, entry.path, entry.status,
                                 entry.personalData.joined(separator: "\n")])
        }
    }

    func auditEntries(since time: Date?) throws(AccountBookError) -> [AuditEntry] {
        try read("reading the audit log") { db in
            try Row.fetchAll(db, sql: """
                SELECT at, account, address, method, path, status, personal_data FROM audit_log WHERE at >= ? ORDER BY id
                """, arguments: [time?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude]).map { row in
                let personalData: String = row[6]
                return AuditEntry(at: Date(timeIntervalSince1970: row[0]), account: row[1], address: row[2], method: row[3], path: row[4],
                                  status: row[5], personalData: personalData.isEmpty ? [] : personalData.components(separatedBy: "\n"))
            }
        }
    }

    // MARK: - Rows

    private static func account(_ name: String, _ db: Database) throws -> StoredAccount? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(accountColumns) FROM accounts WHERE name = ?"), arguments: [name]).map { account($0) }
    }

    /// The account in ``accountColumns``' order, starting at column `offset`.
    private static func account(_ row: Row, from offset: Int = 0) -> StoredAccount {
        StoredAccount(name: row[offset], role: row[offset + 1], actingAs: row[offset + 2], passwordHash: row[offset + 3], disabled: row[offset + 4],
                      created: Date(timeIntervalSince1970: row[offset + 5]), passwordChanged: Date(timeIntervalSince1970: row[offset + 6]))
    }

    private static func arguments(_ account: StoredAccount) -> [(any DatabaseValueConvertible)?] {
        [account.name, account.role, account.actingAs, account.passwordHash, account.disabled,
         account.created.timeIntervalSince1970, account.passwordChanged.timeIntervalSince1970]
    }

    // MARK: - Transactions

    /// Runs `body` in one IMMEDIATE transaction; a store opened read-only is refused in words
    /// before SQLite is asked.
    private func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(AccountBookError) -> T {
        guard access == .readWrite else {
            throw .store(.database(operation: "\(operation) in \(location)",
                                   reason: "the store is open read-only; accounts, sessions and the audit log need it writable"))
        }
        do {
            return try database.inImmediateTransaction(operation, body)
        } catch {
            throw AccountBookError(error, "\(operation) in \(location)")
        }
    }

    private func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(AccountBookError) -> T {
        do {
            return try database.read(body)
        } catch {
            throw AccountBookError(error, "\(operation) from \(location)")
        }
    }
}
