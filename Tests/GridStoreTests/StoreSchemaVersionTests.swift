import Foundation
import GRDB
import GridMapCore
import Testing
@testable import GridStore

/// A file store's schema against this GridMap's. Written for any number of migrations: a newer
/// store is played by recording a migration from the future, an older one by opening with this
/// GridMap's migrations plus one more.
@Suite("The SQLite store knows its schema version")
struct StoreSchemaVersionTests {
    /// A store file holding the synthetic town, closed again.
    static func storeWithTown(at path: String) throws {
        try SQLiteTownStore(path: path).importTown(SyntheticTown.data, source: "synthetic")
    }

    /// Runs `sql` on the file at `path` behind the store's back, and closes it again.
    static func change(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// The file's bytes and the names in its folder, to prove that nothing was touched.
    static func snapshot(of path: String) throws -> (bytes: Data, folder: [String]) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return (try Data(contentsOf: URL(fileURLWithPath: path)), try FileManager.default.contentsOfDirectory(atPath: folder).sorted())
    }

    /// This GridMap's migrations and one more, which adds a column: a later GridMap.
    static var laterMigrator: DatabaseMigrator {
        var migrator = StoreSchema.migrator
        migrator.registerMigration("v-later: a column from a later GridMap") { db in
            try db.execute(sql: "ALTER TABLE team ADD COLUMN later_note TEXT")
        }
        return migrator
    }

    static var lastKnown: String { StoreSchema.migrator.migrations.last ?? "" }

    @Test("a store that records a migration this GridMap does not know is refused, and nothing is written to it or beside it")
    func newerSchemaIsRefusedUntouched() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.storeWithTown(at: path)
            try Self.change(path, "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
            let before = try Self.snapshot(of: path)
            for access in [SQLiteTownStore.Access.readWrite, .readOnly] {
                let error = try #require(throws: StoreError.self) { try SQLiteTownStore(path: path, access: access) }
                #expect(error == .newerSchema(path: path, stored: "v99: from the future", known: Self.lastKnown))
                #expect(error.description == "\(path) was written by a newer GridMap (schema 'v99: from the future'); this GridMap knows up to '\(Self.lastKnown)'; nothing was changed")
            }
            let after = try Self.snapshot(of: path)
            #expect(after.bytes == before.bytes)
            #expect(after.folder == before.folder)
        }
    }

    @Test("an older store is copied beside itself (0600), then upgraded, with a notice saying where the copy is")
    func olderSchemaIsBackedUpThenMigrated() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.storeWithTown(at: path)
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var notices: [String] = []
            let upgraded = try SQLiteTownStore(path: path, access: .readWrite, migrator: Self.laterMigrator) { notices.append($0) }
            #expect(try upgraded.settings().appliedMigrations == Self.laterMigrator.migrations)
            #expect(try upgraded.loadTown() == SyntheticTown.data)

            let short = String(Self.lastKnown.prefix { $0 != ":" })
            let backups = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("town.sqlite.backup-") }
            try #require(backups.count == 1)
            let name = backups[0]
            #expect(name.wholeMatch(of: /town\.sqlite\.backup-(.+)-\d{8}T\d{6}Z/)?.output.1 == Substring(short))
            let backup = folder + "/" + name
            #expect(try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int == 0o600)
            #expect(notices == ["upgraded the store \(path) from schema '\(Self.lastKnown)' to 'v-later: a column from a later GridMap'; a copy from before the upgrade is in \(backup)"])

            // The copy is the store as it was: this GridMap's schema and the town.
            let copy = try SQLiteTownStore(path: backup, access: .readOnly)
            #expect(try copy.settings().appliedMigrations == StoreSchema.migrator.migrations)
            #expect(try copy.loadTown() == SyntheticTown.data)

            // Up to date now: opening again neither copies nor tells anything.
            notices = []
            _ = try SQLiteTownStore(path: path, access: .readWrite, migrator: Self.laterMigrator) { notices.append($0) }
            #expect(notices.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("town.sqlite.backup-") }.count == 1)
        }
    }

    @Test("an upgrade that fails says so with where the copy is, and leaves the store readable at its schema")
    func failedUpgrade() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.storeWithTown(at: path)
            var migrator = StoreSchema.migrator
            migrator.registerMigration("v-broken: a migration that fails") { db in
                try db.execute(sql: "ALTER TABLE team ADD COLUMN note TEXT; ALTER TABLE no_such_table ADD COLUMN x TEXT")
            }
            let error = try #require(throws: StoreError.self) {
                try SQLiteTownStore(path: path, access: .readWrite, migrator: migrator) { _ in }
            }
            #expect("\(error)".hasPrefix("cannot open store \(path): upgrading its schema from '\(Self.lastKnown)' to 'v-broken: a migration that fails' failed: "))
            #expect("\(error)".contains("; a copy from before the upgrade is in \(path).backup-"))
            // The failed migration was rolled back whole, its first statement too.
            let store = try SQLiteTownStore(path: path)
            #expect(try store.settings().appliedMigrations == StoreSchema.migrator.migrations)
            #expect(try store.loadTown() == SyntheticTown.data)
        }
    }

    @Test("a new file gets the schema without a backup copy or a notice")
    func newFileNeedsNoBackup() throws {
        try SyntheticTown.withTemporaryPath { path in
            var notices: [String] = []
            let store = try SQLiteTownStore(path: path) { notices.append($0) }
            #expect(try store.settings().appliedMigrations == StoreSchema.migrator.migrations)
            #expect(notices.isEmpty)
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains("backup") })
        }
    }

    @Test("an older store opened read-only is refused with what to do, and left as it was")
    func olderSchemaReadOnly() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.storeWithTown(at: path)
            let before = try Self.snapshot(of: path).bytes
            let error = try #require(throws: StoreError.self) {
                try SQLiteTownStore(path: path, access: .readOnly, migrator: Self.laterMigrator) { _ in }
            }
            #expect(error == .cannotOpen(path: path, reason: "it was written by an older GridMap (schema '\(Self.lastKnown)') and this GridMap needs 'v-later: a column from a later GridMap': open it once without --read-only to upgrade it (a backup copy is made first)"))
            #expect(try Self.snapshot(of: path).bytes == before)
        }
    }

    /// Additions to a store made outside GridMap: the change, how the store words it, and a
    /// query counting the rows that hold what was added.
    static let additions = [
        ("ALTER TABLE residents ADD COLUMN note TEXT; UPDATE residents SET note = 'keep me'",
         "table residents has a column 'note' this GridMap does not know", "SELECT count(*) FROM residents WHERE note = 'keep me'"),
        ("CREATE TABLE visits (resident_id TEXT REFERENCES residents(id) ON DELETE CASCADE, day TEXT); INSERT INTO visits SELECT id, '2026-12-01' FROM residents",
         "it has a table 'visits' this GridMap does not know", "SELECT count(*) FROM visits"),
    ]

    @Test("a column or table this GridMap does not know is kept: reads work, and an import is refused before any change",
          arguments: additions)
    func unknownSchemaIsNeverWiped(change: String, detail: String, count: String) throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.storeWithTown(at: path)
            try Self.change(path, change)
            let store = try SQLiteTownStore(path: path)
            #expect(try store.loadTown() == SyntheticTown.data)
            #expect(try store.residents() == SyntheticTown.data.residents)
            #expect(try store.locatedResidents(in: nil, categories: [], page: .all).count == SyntheticTown.data.residents.count)
            let refusal = StoreError.importRefused("cannot import into \(path): \(detail); importing would lose its values")
            #expect(throws: refusal) { try store.reserveForImport() }
            #expect(throws: refusal) { try store.importTown(SyntheticTown.data, source: "again") }
            #expect(refusal.description.hasSuffix("importing would lose its values; nothing was changed"))
            #expect(try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: count) } == SyntheticTown.data.residents.count)
        }
    }

    @Test("a missing column is an error on open naming the table and the column, never a crash")
    func missingColumnIsAClearError() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.storeWithTown(at: path)
            try Self.change(path, "ALTER TABLE residents DROP COLUMN birth_year")
            for access in [SQLiteTownStore.Access.readWrite, .readOnly] {
                let error = try #require(throws: StoreError.self) { try SQLiteTownStore(path: path, access: access) }
                guard case .cannotOpen(let failed, let reason) = error else { Issue.record("not cannotOpen: \(error)"); continue }
                #expect(failed == path)
                #expect(reason.hasPrefix("table residents has no column 'birth_year' (schema '"))
            }
            try Self.change(path, "DROP TABLE team")
            let error = try #require(throws: StoreError.self) { try SQLiteTownStore(path: path) }
            #expect("\(error)".contains("it has no table 'team'"))
        }
    }

    @Test("an SQLite file with tables but no GridMap schema is refused, not migrated into")
    func foreignDatabaseIsRefused() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Self.change(path, "CREATE TABLE contacts (name TEXT, phone TEXT)")
            let before = try Self.snapshot(of: path).bytes
            #expect(throws: StoreError.cannotOpen(path: path, reason: "it holds tables (contacts) but no record of a GridMap schema: it is not a GridMap store")) {
                try SQLiteTownStore(path: path)
            }
            #expect(try Self.snapshot(of: path).bytes == before)
        }
    }

    @Test("the expected schema is asked of SQLite: every table of the store, with its columns in order")
    func expectedSchemaComesFromTheMigrator() throws {
        let expected = try StoredSchema.expected(by: StoreSchema.migrator)
        #expect(Set(expected.tables.keys).isSuperset(of: SQLiteTownStore.inspectedTables))
        #expect(expected.tables["residents"]?.prefix(5) == ["id", "name", "home_id", "phone", "birth_year"])
        #expect(expected.appliedMigrations == StoreSchema.migrator.migrations)
        // A store just made stands level with it: nothing pending, nothing unknown.
        try SyntheticTown.withTemporaryPath { path in
            _ = try SQLiteTownStore(path: path)
            let standing = try StoredSchema.read(at: path).standing(against: StoreSchema.migrator, path: path)
            #expect(standing == SchemaStanding(level: Self.lastKnown, pending: [], unknown: []))
        }
    }
}
