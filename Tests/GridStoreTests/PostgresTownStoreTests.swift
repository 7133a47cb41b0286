import Foundation
import GridMapCore
import Postgres
import PostgresTesting
import Testing
@testable import GridStore

/// What only the PostgreSQL store does: its schema's versions, its import claim, its COPY
/// import rolled back whole, and the parts it does not keep yet saying so. (The TownStore
/// contract runs on it with the other stores.)
@Suite("The PostgreSQL store")
struct PostgresTownStoreTests {
    @Test("opening records the schema version once, and a database from a newer GridMap is refused untouched")
    func schemaVersions() throws {
        let uri = try TestPostgres.freshSchema()
        let store = try PostgresTownStore(uri: uri)
        try store.importTown(SyntheticTown.data, source: "synthetic")
        // Opening again migrates nothing and keeps the town.
        let again = try PostgresTownStore(uri: uri)
        #expect(try again.summary() == store.summary())
        let db = try PostgresConnection(uri)
        let versions = try db.query("SELECT version, name FROM schema_version ORDER BY version").rows.map { try $0.integer(0) }
        #expect(versions == Array(1...PostgresSchema.migrations.count))
        try db.query("INSERT INTO schema_version VALUES (99, 'v99: from the future', '2030-01-01T00:00:00Z')")
        #expect(throws: StoreError.newerSchema(path: PostgresTownStore.redacted(uri), stored: "version 99",
                                               known: "version \(PostgresSchema.migrations.count) (\(PostgresSchema.migrations.last!.name))")) {
            try PostgresTownStore(uri: uri)
        }
    }

    @Test("a read-only store of an empty database is refused, and a read-only store refuses imports")
    func readOnly() throws {
        let uri = try TestPostgres.freshSchema()
        #expect(throws: StoreError.self) { try PostgresTownStore(uri: uri, access: .readOnly) }
        try PostgresTownStore(uri: uri).importTown(SyntheticTown.data, source: "synthetic")
        let store = try PostgresTownStore(uri: uri, access: .readOnly)
        #expect(try store.info().imports == 1)
        #expect(throws: StoreError.importRefused("cannot import into \(store.location): the store is open read-only")) {
            try store.importTown(SyntheticTown.data, source: "again")
        }
    }

    @Test("a second import claim on the same database is refused while the first holds it, and granted after")
    func importClaim() throws {
        let uri = try TestPostgres.freshSchema()
        let first = try PostgresTownStore(uri: uri), second = try PostgresTownStore(uri: uri)
        let claim = try first.reserveForImport()
        do {
            _ = try second.reserveForImport()
            Issue.record("a second claim was granted")
        } catch {
            guard case .importRefused(let reason) = error else { throw error }
            #expect(reason.hasPrefix("another import is running into"))
            #expect(!reason.contains("pid unknown"))
        }
        // A store in another schema of the same database is another store: its claim is its own.
        let elsewhere = try PostgresTownStore(uri: try TestPostgres.freshSchema())
        try elsewhere.reserveForImport().release()
        claim.release()
        try second.reserveForImport().release()
    }

    @Test("an import that fails inside the database leaves the previous town, log and all")
    func failedImportChangesNothing() throws {
        let uri = try TestPostgres.freshSchema()
        let store = try PostgresTownStore(uri: uri)
        try store.importTown(SyntheticTown.data, source: "first")
        let before = try store.loadTown()
        // A rule the planner does not know, so that the COPY itself fails midway.
        try PostgresConnection(uri).script("ALTER TABLE residents ADD CONSTRAINT no_r2 CHECK (id <> 'R-2') NOT VALID")
        #expect(throws: StoreError.self) { try store.importTown(SyntheticTown.data, source: "second") }
        #expect(try store.loadTown() == before)
        #expect(try store.info().imports == 1)
        #expect(try store.info().lastImport?.source == "first")
    }

    @Test("the register's history and the survey refuse to be edited or emptied through SQL")
    func registerAndSurveyAppendOnly() throws {
        let uri = try TestPostgres.freshSchema()
        let store = try PostgresTownStore(uri: uri)
        try store.importTown(SyntheticTown.data, source: "synthetic")
        let start = try #require(try store.registerStart())
        try store.startSurvey(SurveyCampaign(name: "autumn", grids: [], start: start, startedBy: "test",
                                             startedAt: Date(timeIntervalSince1970: 1_780_000_000)))
        let db = try PostgresConnection(uri)
        for sql in ["UPDATE survey_campaigns SET started_by = 'x'", "DELETE FROM survey_campaigns",
                    "DELETE FROM register_changes", "TRUNCATE survey_visits CASCADE"] {
            #expect(throws: PostgresError.self, "\(sql)") { try db.script(sql) }
        }
        #expect(try store.surveyCampaigns().map(\.name) == ["autumn"])
    }

    @Test("the audit log refuses to be edited or emptied through SQL")
    func auditLogAppendOnly() throws {
        let uri = try TestPostgres.freshSchema()
        let store = try PostgresTownStore(uri: uri)
        try store.accountBook.appendAudit(AuditEntry(at: Date(timeIntervalSince1970: 1_780_000_000), account: nil, address: nil,
                                                     method: "GET", path: "/", status: 200, personalData: []))
        let db = try PostgresConnection(uri)
        #expect(throws: PostgresError.self) { try db.query("UPDATE audit_log SET status = 500") }
        #expect(throws: PostgresError.self) { try db.query("DELETE FROM audit_log") }
        #expect(try store.accountBook.auditEntries(since: nil).map(\.status) == [200])
    }

    @Test("the store's location never shows a password")
    func locationHidesPassword() {
        #expect(PostgresTownStore.redacted("postgres://town:secret@db.example/dacun") == "postgres://town:***@db.example/dacun")
        #expect(PostgresTownStore.redacted("postgresql:///dacun?host=/tmp&password=secret&user=x") == "postgresql:///dacun?host=/tmp&password=***&user=x")
        #expect(PostgresTownStore.redacted("host=db dbname=dacun password=secret") == "host=db dbname=dacun password=***")
    }
}
