import Foundation
import GRDB
import Testing
@testable import GridStore

/// What every ``AccountBook`` promises, on every store.
@Suite("The AccountBook contract, on every store")
struct AccountBookContractTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    static func account(_ name: String, role: String = "office", disabled: Bool = false) -> StoredAccount {
        StoredAccount(name: name, role: role, actingAs: "office/\(name)", passwordHash: "$2b$04$hash-of-\(name)", disabled: disabled,
                      created: at(0), passwordChanged: at(1))
    }

    static func session(_ digest: String, of account: String, expires: Double = 720) -> StoredCredential {
        StoredCredential(digest: digest, kind: .session, account: account, created: at(0), expires: at(expires), csrf: "csrf-\(digest)")
    }

    @Test("accounts read back exactly as added, by name; a taken name is refused and changes nothing", arguments: StoreKind.allCases)
    func accountsRoundTrip(kind: StoreKind) throws {
        let book = try kind.make().accountBook
        try book.addAccount(Self.account("wang", role: "grid-worker:DC-017"))
        try book.addAccount(Self.account("admin"))
        #expect(try book.account(named: "wang") == Self.account("wang", role: "grid-worker:DC-017"))
        #expect(try book.account(named: "nobody") == nil)
        #expect(try book.accounts().map(\.name) == ["admin", "wang"])
        #expect(throws: AccountBookError.exists("admin")) { try book.addAccount(Self.account("admin", role: "resident")) }
        #expect(try book.account(named: "admin")?.role == "office")
        #expect(throws: AccountBookError.unknownAccount("nobody")) { try book.updateAccount(Self.account("nobody")) }
    }

    @Test("a credential is found by its digest with its account, extended, and ended once", arguments: StoreKind.allCases)
    func credentials(kind: StoreKind) throws {
        let book = try kind.make().accountBook
        try book.addAccount(Self.account("admin"))
        try book.addCredential(Self.session("d1", of: "admin"))
        try book.addCredential(StoredCredential(digest: "d2", kind: .token, account: "admin", created: Self.at(0), expires: Self.at(43_200), csrf: nil))
        let found = try #require(try book.credential(digest: "d1"))
        #expect(found.credential == Self.session("d1", of: "admin") && found.account.name == "admin")
        #expect(try book.credential(digest: "d2")?.credential.kind == .token)
        #expect(try book.credential(digest: "nothing") == nil)
        try book.extendCredential(digest: "d1", to: Self.at(900))
        #expect(try book.credential(digest: "d1")?.credential.expires == Self.at(900))
        #expect(try book.removeCredential(digest: "d1"))
        #expect(try !book.removeCredential(digest: "d1"))
        #expect(try book.credential(digest: "d1") == nil && book.credential(digest: "d2") != nil)
        #expect(throws: AccountBookError.unknownAccount("ghost")) { try book.addCredential(Self.session("d3", of: "ghost")) }
    }

    @Test("changing an account (a new password, disabled) ends every session and token it has, and no other account's", arguments: StoreKind.allCases)
    func changeEndsCredentials(kind: StoreKind) throws {
        let book = try kind.make().accountBook
        try book.addAccount(Self.account("a"))
        try book.addAccount(Self.account("b"))
        for (digest, owner) in [("a1", "a"), ("a2", "a"), ("b1", "b")] { try book.addCredential(Self.session(digest, of: owner)) }
        try book.updateAccount(Self.account("a", disabled: true))
        #expect(try book.account(named: "a")?.disabled == true)
        #expect(try book.credential(digest: "a1") == nil && book.credential(digest: "a2") == nil)
        #expect(try book.credential(digest: "b1") != nil)
    }

    @Test("expired credentials and old failures are forgotten; live ones stay", arguments: StoreKind.allCases)
    func expiry(kind: StoreKind) throws {
        let book = try kind.make().accountBook
        try book.addAccount(Self.account("a"))
        try book.addCredential(Self.session("old", of: "a", expires: 10))
        try book.addCredential(Self.session("live", of: "a", expires: 30))
        try book.recordFailedSignIn(FailedSignIn(at: Self.at(5), name: "a", address: "10.0.0.1"))
        try book.recordFailedSignIn(FailedSignIn(at: Self.at(25), name: "a", address: "10.0.0.1"))
        try book.removeExpired(credentialsBefore: Self.at(20), failuresBefore: Self.at(20))
        #expect(try book.credential(digest: "old") == nil && book.credential(digest: "live") != nil)
        #expect(try book.failedSignIns(name: "a", address: nil, since: Self.at(0)).map(\.at) == [Self.at(25)])
    }

    @Test("failed sign-ins are read for a name or an address since a time, oldest first, and cleared by name", arguments: StoreKind.allCases)
    func failedSignIns(kind: StoreKind) throws {
        let book = try kind.make().accountBook
        let failures = [
            FailedSignIn(at: Self.at(1), name: "a", address: "10.0.0.1"),
            FailedSignIn(at: Self.at(2), name: "b", address: "10.0.0.2"),
            FailedSignIn(at: Self.at(3), name: "c", address: "10.0.0.1"),
            FailedSignIn(at: Self.at(3), name: "a", address: nil),
            FailedSignIn(at: Self.at(0), name: "a", address: "10.0.0.3"),
        ]
        for failure in failures { try book.recordFailedSignIn(failure) }
        #expect(try book.failedSignIns(name: "a", address: "10.0.0.1", since: Self.at(1)) == [failures[0], failures[2], failures[3]])
        #expect(try book.failedSignIns(name: "b", address: nil, since: Self.at(0)) == [failures[1]])
        #expect(try book.failedSignIns(name: "z", address: "10.0.0.9", since: Self.at(0)).isEmpty)
        try book.clearFailedSignIns(name: "a")
        #expect(try book.failedSignIns(name: "a", address: "10.0.0.1", since: Self.at(0)) == [failures[2]])
    }

    @Test("the audit log gives back its entries in the order appended, from a time on", arguments: StoreKind.allCases)
    func auditLog(kind: StoreKind) throws {
        let book = try kind.make().accountBook
        let entries = [
            AuditEntry(at: Self.at(2), account: "wang", address: "10.0.0.1", method: "GET", path: "/collections/residents/items", status: 200,
                       personalData: ["residents of DC-017: 212", "team of DC-017: 9"]),
            AuditEntry(at: Self.at(1), account: nil, address: nil, method: "POST", path: "/auth/login", status: 401, personalData: []),
            AuditEntry(at: Self.at(3), account: "admin", address: "::1", method: "POST", path: "/events", status: 201, personalData: []),
        ]
        for entry in entries { try book.appendAudit(entry) }
        #expect(try book.auditEntries(since: nil) == entries)
        #expect(try book.auditEntries(since: Self.at(2)) == [entries[0], entries[2]])
    }

    @Test("the SQLite audit log refuses any UPDATE or DELETE of its entries")
    func auditIsAppendOnly() throws {
        let store = try SQLiteTownStore()
        try store.accountBook.appendAudit(AuditEntry(at: Self.at(0), account: "a", address: nil, method: "POST", path: "/x", status: 200, personalData: []))
        for sql in ["UPDATE audit_log SET account = 'b'", "DELETE FROM audit_log"] {
            #expect(throws: (any Error).self, "\(sql)") { try store.database.write { db in try db.execute(sql: sql) } }
        }
        #expect(try store.accountBook.auditEntries(since: nil).map(\.account) == ["a"])
    }

    @Test("accounts, sessions and the audit log survive a new import of the town", arguments: StoreKind.allCases)
    func survivesImport(kind: StoreKind) throws {
        let store = try kind.synthetic()
        try store.accountBook.addAccount(Self.account("admin"))
        try store.accountBook.addCredential(Self.session("d1", of: "admin"))
        try store.accountBook.appendAudit(AuditEntry(at: Self.at(0), account: "admin", address: nil, method: "POST", path: "/x", status: 200, personalData: []))
        try store.importTown(SyntheticTown.data, source: "again")
        #expect(try store.accountBook.account(named: "admin") != nil)
        #expect(try store.accountBook.credential(digest: "d1") != nil)
        #expect(try store.accountBook.auditEntries(since: nil).count == 1)
    }

    @Test("a file store holding accounts is its owner's alone (0600), and opened read-only it refuses every write in words")
    func fileStore() throws {
        try SyntheticTown.withTemporaryPath { path in
            try SQLiteTownStore(path: path).accountBook.addAccount(Self.account("admin"))
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
            let readOnly = try SQLiteTownStore(path: path, access: .readOnly).accountBook
            #expect(try readOnly.account(named: "admin")?.name == "admin")
            do {
                try readOnly.appendAudit(AuditEntry(at: Self.at(0), account: nil, address: nil, method: "POST", path: "/x", status: 200, personalData: []))
                Issue.record("a read-only store took an audit entry")
            } catch {
                #expect("\(error)".contains("open read-only"), "\(error)")
            }
        }
    }
}
