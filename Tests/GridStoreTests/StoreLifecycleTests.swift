import Foundation
import GRDB
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

@Suite("The SQLite store: rows of a re-import, the file's set-up")
struct StoreLifecycleTests {
    @Test("re-importing the same data leaves the same rows and logs a second import")
    func reimportIsIdempotent() throws {
        try SyntheticTown.withTemporaryStore { store in
            try store.importTown(SyntheticTown.data, source: "first")
            let before = try SyntheticTown.contents(of: store, includingImportLog: false)
            let summaryBefore = try store.summary()
            try store.importTown(SyntheticTown.data, source: "second")
            #expect(try SyntheticTown.contents(of: store, includingImportLog: false) == before)
            #expect(try store.summary() == summaryBefore)
            #expect(try store.loadTown() == SyntheticTown.data)
            #expect(try store.info().imports == 2)
        }
    }

    @Test("a file store runs in WAL mode with foreign keys on")
    func walMode() throws {
        try SyntheticTown.withTemporaryStore { store in
            let settings = try store.settings()
            #expect(settings.journalMode == "wal")
            #expect(settings.foreignKeysEnabled)
        }
    }

    @Test("migrations create a fresh file, and re-opening the file keeps schema and data")
    func migrationsAndReopen() throws {
        try SyntheticTown.withTemporaryPath { path in
            #expect(!FileManager.default.fileExists(atPath: path))
            do {
                let store = try SQLiteTownStore(path: path)
                #expect(FileManager.default.fileExists(atPath: path))
                #expect(try store.settings().appliedMigrations == StoreSchema.migrator.migrations)
                try store.importTown(SyntheticTown.data, source: "synthetic")
            }
            let reopened = try SQLiteTownStore(path: path)
            #expect(try reopened.settings().appliedMigrations == StoreSchema.migrator.migrations)
            #expect(try reopened.loadTown() == SyntheticTown.data)
        }
    }

    @Test("a file that is not SQLite is refused with a clear error")
    func notADatabase() throws {
        try SyntheticTown.withTemporaryPath { path in
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
            #expect {
                _ = try SQLiteTownStore(path: path)
            } throws: { error in
                guard case StoreError.cannotOpen(let failedPath, _) = error else { return false }
                return failedPath == path
            }
        }
    }
}

@Suite("The SQLite store's errors say what failed and where")
struct SQLiteStoreErrorTests {
    /// The synthetic town with one stored value changed behind the store's back.
    static func tampered(_ sql: String) throws -> SQLiteTownStore {
        let store = try SQLiteTownStore()
        try store.importTown(SyntheticTown.data, source: "synthetic")
        // Outside a transaction: SQLite ignores a change of foreign_keys inside one.
        try store.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: sql)
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        return store
    }

    @Test("a stored value that no longer decodes is corrupt, named by table, row and column")
    func corruptValues() throws {
        let kind = try Self.tampered("UPDATE features SET kind = 'Bad Kind' WHERE id = 'well-1'")
        #expect(throws: StoreError.corrupt("features well-1, column kind: \"Bad Kind\" is not a feature kind")) {
            try kind.loadTown()
        }
        let wkb = try Self.tampered("UPDATE features SET wkb = x'0102' WHERE id = 'road-1'")
        let error = try #require(throws: StoreError.self) { try wkb.features(of: .road) }
        guard case .corrupt(let detail) = error else { Issue.record("not corrupt: \(error)"); return }
        #expect(detail.hasPrefix("features road-1, column wkb: "))
        let code = try Self.tampered("UPDATE features SET micro_grid_code = 'nowhere' WHERE id = 'home-2'")
        #expect(throws: StoreError.corrupt("features home-2, column micro_grid_code: \"nowhere\" is not a grid code")) {
            try code.locatedFeatures(of: .home, in: nil, page: .all)
        }
        let category = try Self.tampered("UPDATE resident_categories SET category = 'Not A Category' WHERE resident_id = 'R-3'")
        #expect(throws: StoreError.corrupt("resident_categories of R-3: \"Not A Category\" is not a category")) {
            try category.residents()
        }
    }

    @Test("a database failure names the operation and keeps the database's message; store errors pass through")
    func databaseFailures() throws {
        let error = try #require(throws: StoreError.self) {
            try StoreError.wrapping("reading grids from town.sqlite") {
                throw DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked")
            }
        }
        guard case .database(let operation, let reason) = error else { Issue.record("not a database error: \(error)"); return }
        #expect(operation == "reading grids from town.sqlite")
        #expect(reason.contains("database is locked"))
        #expect("\(error)".hasPrefix("store failed while reading grids from town.sqlite: "))
        #expect(throws: StoreError.notFound("grid TS-009")) {
            try StoreError.wrapping("reading") { throw StoreError.notFound("grid TS-009") }
        }
    }
}
