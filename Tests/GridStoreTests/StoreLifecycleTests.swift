import Foundation
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
