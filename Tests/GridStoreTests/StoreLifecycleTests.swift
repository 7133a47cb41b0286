import Foundation
import GeoJSON
import GridMapCore
import Testing
@testable import GridStore

@Suite("Store lifecycle: import, load, re-import, file set-up")
struct StoreLifecycleTests {
    @Test("an empty store loads nothing")
    func emptyStore() throws {
        let store = try SQLiteTownStore()
        #expect(try store.loadTown() == nil)
        #expect(try store.grids().isEmpty)
    }

    @Test("importing then loading gives back exactly the data imported")
    func importThenLoad() throws {
        try SyntheticTown.withTemporaryStore { store in
            let data = SyntheticTown.data
            let summary = try store.importTown(data, source: "synthetic")
            #expect(summary == ImportSummary(villages: 2, grids: 4, microGrids: 8, features: 9, residents: 5,
                                             teamMembers: 4, featuresOutsideMicroGrids: 1))
            let loaded = try #require(try store.loadTown())
            #expect(loaded == data)
            // The spots most likely to drift, checked one by one so a failure says which.
            let road = try #require(loaded.features.first { $0.id == "road-1" })
            #expect(road.properties == data.features.first { $0.id == "road-1" }!.properties)
            #expect(road.properties["lanes"] == .number(JSONNumber(text: "2.0")!))
            #expect(loaded.residents[0].categories == [.partyMember, .veteran])
        }
    }

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
            let info = try store.info()
            #expect(info.imports == 2)
            #expect(info.lastImportSource == "second")
        }
    }

    @Test("a new import replaces the previous town entirely")
    func importReplaces() throws {
        let store = try SQLiteTownStore()
        try store.importTown(SyntheticTown.data, source: "full")
        var smaller = SyntheticTown.data
        smaller.residents.removeAll { $0.id == "R-4" }
        smaller.features.removeAll { $0.id == "home-5" || $0.kind == .road }
        try store.importTown(smaller, source: "smaller")
        #expect(try store.loadTown() == smaller)
        #expect(try store.features(of: .road, in: nil).isEmpty)
    }

    @Test("a file store runs in WAL mode with foreign keys on")
    func walMode() throws {
        try SyntheticTown.withTemporaryStore { store in
            let info = try store.info()
            #expect(info.journalMode == "wal")
            #expect(info.foreignKeysEnabled)
        }
    }

    @Test("migrations create a fresh file, and re-opening the file keeps schema and data")
    func migrationsAndReopen() throws {
        try SyntheticTown.withTemporaryPath { path in
            #expect(!FileManager.default.fileExists(atPath: path))
            do {
                let store = try SQLiteTownStore(path: path)
                #expect(FileManager.default.fileExists(atPath: path))
                #expect(try store.info().appliedMigrations == StoreSchema.migrator.migrations)
                try store.importTown(SyntheticTown.data, source: "synthetic")
            }
            let reopened = try SQLiteTownStore(path: path)
            #expect(try reopened.info().appliedMigrations == StoreSchema.migrator.migrations)
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
