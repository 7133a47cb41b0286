import Foundation
import Postgres

extension PostgresTownStore {
    /// The accounts, sessions, failed sign-ins and audit log, in this store's database.
    public var accountBook: any AccountBook { PostgresAccountBook(store: self) }
}

/// The account book in a PostgreSQL store (schema version 2), the SQLite one's tables and
/// values: times as seconds since 1970 (`float8`, exact for a `Date`), the audit log append-only
/// (a trigger refuses any UPDATE or DELETE). Each call is one transaction on a pooled connection.
struct PostgresAccountBook: AccountBook {
    let store: PostgresTownStore

    static let schema = """
        CREATE TABLE accounts (
            name text PRIMARY KEY,
            role text NOT NULL,
            acting_as text,
            password_hash text NOT NULL,
            disabled boolean NOT NULL DEFAULT false,
            created_at float8 NOT NULL,
            password_changed_at float8 NOT NULL
        );
        CREATE TABLE credentials (
            digest text PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('session', 'token')),
            account text NOT NULL REFERENCES accounts(name),
            created_at float8 NOT NULL,
            expires_at float8 NOT NULL,
            csrf text
        );
        CREATE INDEX credentials_account ON credentials(account);
        CREATE TABLE sign_in_failures (
            id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at float8 NOT NULL,
            name text NOT NULL,
            address text
        );
        CREATE INDEX sign_in_failures_name ON sign_in_failures(name, at);
        CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at);
        CREATE TABLE audit_log (
            id int8 GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at float8 NOT NULL,
            account text,
            address text,
            method text NOT NULL,
            path text NOT NULL,
            status int8 NOT NULL,
            personal_data text NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
        """

    private static let accountColumns = "name, role, acting_as, password_hash, disabled, created_at, password_changed_at"
    private static let credentialColumns = "digest, kind, account, created_at, expires_at, csrf"

    func addAccount(_ account: StoredAccount) throws(AccountBookError) {
        try write("adding the account \(account.name)") { db in
            if try Self.account(account.name, db) != nil { throw AccountBookError.exists(account.name) }
            do {
                try db.query("INSERT INTO accounts (\(Self.accountColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7)", Self.parameters(account))
            } catch let error as PostgresError where error.isUniqueViolation {
                // Added by another caller since the check.
                throw AccountBookError.exists(account.name)
            }
        }
    }

    func account(named name: String) throws(AccountBookError) -> StoredAccount? {
        try read("reading the account \(name)") { db in try Self.account(name, db) }
    }

    func accounts() throws(AccountBookError) -> [StoredAccount] {
        try read("reading the accounts") { db in
            try db.query("SELECT \(Self.accountColumns) FROM accounts ORDER BY name COLLATE \"C\"").rows.map { try Self.account($0) }
        }
    }

    func updateAccount(_ account: StoredAccount) throws(AccountBookError) {
        try write("changing the account \(account.name)") { db in
            guard try Self.account(account.name, db) != nil else { throw AccountBookError.unknownAccount(account.name) }
            try db.query("DELETE FROM credentials WHERE account = $1", [account.name])
            try db.query("""
                UPDATE accounts SET role = $2, acting_as = $3, password_hash = $4, disabled = $5, created_at = $6, password_changed_at = $7
                WHERE name = $1
                """, Self.parameters(account))
        }
    }

    func addCredential(_ credential: StoredCredential) throws(AccountBookError) {
        try write("keeping a \(credential.kind.rawValue) of \(credential.account)") { db in
            guard try Self.account(credential.account, db) != nil else { throw AccountBookError.unknownAccount(credential.account) }
            try db.query("INSERT INTO credentials (\(Self.credentialColumns)) VALUES ($1, $2, $3, $4, $5, $6)", [
                credential.digest, credential.kind.rawValue, credential.account, credential.created.timeIntervalSince1970,
                credential.expires.timeIntervalSince1970, credential.csrf,
            ])
        }
    }

    func credential(digest: String) throws(AccountBookError) -> (credential: StoredCredential, account: StoredAccount)? {
        try read("reading a credential") { db in
            let columns = Self.credentialColumns.split(separator: ", ").map { "c.\($0)" } + Self.accountColumns.split(separator: ", ").map { "a.\($0)" }
            let rows = try db.query("""
                SELECT \(columns.joined(separator: ", ")) FROM credentials c JOIN accounts a ON a.name = c.account WHERE c.digest = $1
                """, [digest])
            guard rows.count > 0 else { return nil }
            let row = rows[0]
            let kindText = try row.required(1, row.string)
            guard let kind = StoredCredential.Kind(rawValue: kindText) else { throw StoreError.corrupt("credentials, column kind: '\(kindText)'") }
            let credential = StoredCredential(
                digest: try row.required(0, row.string), kind: kind, account: try row.required(2, row.string),
                created: Date(timeIntervalSince1970: try row.required(3, row.double)),
                expires: Date(timeIntervalSince1970: try row.required(4, row.double)), csrf: try row.string(5))
            return (credential, try Self.account(row, from: 6))
        }
    }

    func extendCredential(digest: String, to expires: Date) throws(AccountBookError) {
        try write("extending a session") { db in
            try db.query("UPDATE credentials SET expires_at = $1 WHERE digest = $2", [expires.timeIntervalSince1970, digest])
        }
    }

    func removeCredential(digest: String) throws(AccountBookError) -> Bool {
        try write("ending a session") { db in
            try db.query("DELETE FROM credentials WHERE digest = $1", [digest]).changedRows > 0
        }
    }

    func removeExpired(credentialsBefore time: Date, failuresBefore: Date) throws(AccountBookError) {
        try write("forgetting expired sessions") { db in
            try db.query("DELETE FROM credentials WHERE expires_at < $1", [time.timeIntervalSince1970])
            try db.query("DELETE FROM sign_in_failures WHERE at < $1", [failuresBefore.timeIntervalSince1970])
        }
    }

    func recordFailedSignIn(_ failure: FailedSignIn) throws(AccountBookError) {
        try write("noting a failed sign-in") { db in
            try db.query("INSERT INTO sign_in_failures (at, name, address) VALUES ($1, $2, $3)",
                         [failure.at.timeIntervalSince1970, failure.name, failure.address])
        }
    }

    func failedSignIns(name: String, address: String?, since time: Date) throws(AccountBookError) -> [FailedSignIn] {
        try read("reading failed sign-ins") { db in
            try db.query("""
                SELECT at, name, address FROM sign_in_failures WHERE at >= $1 AND (name = $2 OR address = $3) ORDER BY at, id
                """, [time.timeIntervalSince1970, name, address]).rows.map { row in
                FailedSignIn(at: Date(timeIntervalSince1970: try row.required(0, row.double)), name: try row.required(1, row.string),
                             address: try row.string(2))
            }
        }
    }

    func clearFailedSignIns(name: String) throws(AccountBookError) {
        try write("forgetting failed sign-ins") { db in
            try db.query("DELETE FROM sign_in_failures WHERE name = $1", [name])
        }
    }

    func appendAudit(_ entry: AuditEntry) throws(AccountBookError) {
        try write("appending to the audit log") { db in
            try db.query("""
                INSERT INTO audit_log (at, account, address, method, path, status, personal_data) VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [entry.at.timeIntervalSince1970, entry.account, entry.address, entry.method, entry.path, entry.status,
                      entry.personalData.joined(separator: "\n")])
        }
    }

    func auditEntries(since time: Date?) throws(AccountBookError) -> [AuditEntry] {
        try read("reading the audit log") { db in
            try db.query("""
                SELECT at, account, address, method, path, status, personal_data FROM audit_log WHERE at >= $1 ORDER BY id
                """, [time?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude]).rows.map { row in
                let personalData = try row.required(6, row.string)
                return AuditEntry(at: Date(timeIntervalSince1970: try row.required(0, row.double)), account: try row.string(1),
                                  address: try row.string(2), method: try row.required(3, row.string), path: try row.required(4, row.string),
                                  status: try row.required(5, row.integer),
                                  personalData: personalData.isEmpty ? [] : personalData.components(separatedBy: "\n"))
            }
        }
    }

    // MARK: - Rows

    private static func account(_ name: String, _ db: PostgresConnection) throws -> StoredAccount? {
        let rows = try db.query("SELECT \(accountColumns) FROM accounts WHERE name = $1", [name])
        return rows.count > 0 ? try account(rows[0]) : nil
    }

    /// The account in ``accountColumns``' order, starting at column `offset`.
    private static func account(_ row: PostgresRow, from offset: Int = 0) throws -> StoredAccount {
        StoredAccount(name: try row.required(offset, row.string), role: try row.required(offset + 1, row.string),
                      actingAs: try row.string(offset + 2), passwordHash: try row.required(offset + 3, row.string),
                      disabled: try row.required(offset + 4, row.boolean),
                      created: Date(timeIntervalSince1970: try row.required(offset + 5, row.double)),
                      passwordChanged: Date(timeIntervalSince1970: try row.required(offset + 6, row.double)))
    }

    private static func parameters(_ account: StoredAccount) -> [(any PostgresParameter)?] {
        [account.name, account.role, account.actingAs, account.passwordHash, account.disabled,
         account.created.timeIntervalSince1970, account.passwordChanged.timeIntervalSince1970]
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction; a store opened read-only is refused in words first.
    private func write<T>(_ operation: String, _ body: (PostgresConnection) throws -> T) throws(AccountBookError) -> T {
        guard store.access == .readWrite else {
            throw .store(.database(operation: "\(operation) in \(store.location)",
                                   reason: "the store is open read-only; accounts, sessions and the audit log need it writable"))
        }
        do {
            return try store.pool.withConnection { db in try db.transaction { try body(db) } }
        } catch {
            throw AccountBookError(error, "\(operation) in \(store.location)")
        }
    }

    private func read<T>(_ operation: String, _ body: (PostgresConnection) throws -> T) throws(AccountBookError) -> T {
        do {
            return try store.pool.withConnection { db in try db.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(db) } }
        } catch {
            throw AccountBookError(error, "\(operation) from \(store.location)")
        }
    }
}
