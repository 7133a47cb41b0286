import Foundation
import GRDB
import Testing
@testable import GridStore

/// The built `gridmap` on stores changed by another GridMap or behind its back: every command
/// answers with the store's words and an exit status, never a trap.
@Suite("gridmap on a store of another schema")
struct StoreSchemaCommandTests {
    /// Runs `body` with a store holding the tiny town, imported by `gridmap import`, then changed by `sql`.
    static func withChangedStore(_ sql: String, _ body: (String) throws -> Void) throws {
        try #require(FileManager.default.isExecutableFile(atPath: GridMapBinary.url.path), "build gridmap first: swift build --build-tests")
        try SyntheticTown.withTemporaryPath { path in
            let imported = try GridMapBinary.run(["import", GridMapBinary.tinyTown.path, "--db", path])
            try #require(imported.status == 0, "\(imported.stderr)")
            try StoreSchemaVersionTests.change(path, sql)
            try body(path)
        }
    }

    @Test("every command refuses a store from a newer GridMap, and its file stays as it was")
    func newerStore() throws {
        try Self.withChangedStore("INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") { path in
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            for command in [["info"], ["select", "--counts"], ["export", "--layer", "residents"], ["import", GridMapBinary.tinyTown.path]] {
                let result = try GridMapBinary.run(command + ["--db", path])
                #expect(result.status == 1, "\(command)")
                #expect(result.stderr.contains("\(path) was written by a newer GridMap (schema 'v99: from the future'); this GridMap knows up to '"), "\(command): \(result.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("a store with a column this GridMap does not know answers reads, and an import is refused before it reads its folder")
    func unknownColumn() throws {
        try Self.withChangedStore("ALTER TABLE residents ADD COLUMN note TEXT; UPDATE residents SET note = 'keep me'") { path in
            for command in [["info"], ["select", "--category", "veteran", "--role", "office"], ["export", "--layer", "residents", "--role", "office"]] {
                let result = try GridMapBinary.run(command + ["--db", path])
                #expect(result.status == 0, "\(command): \(result.stderr)")
            }
            let result = try GridMapBinary.run(["import", "/nonexistent/town", "--db", path])
            #expect(result.status == 2)
            #expect(result.stderr.contains("cannot import into \(path): table residents has a column 'note' this GridMap does not know; importing would lose its values; nothing was changed"), "\(result.stderr)")
            let notes = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT note FROM residents") }
            #expect(notes == ["keep me", "keep me"])
        }
    }

    @Test("select and export on a store missing a column fail with the table and column named, not a trap")
    func missingColumn() throws {
        try Self.withChangedStore("ALTER TABLE residents DROP COLUMN birth_year") { path in
            for command in [["select", "--category", "veteran"], ["export", "--layer", "residents"], ["export", "--all", "--out", path + "-export"]] {
                let result = try GridMapBinary.run(command + ["--db", path])
                #expect(result.status == 1, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("table residents has no column 'birth_year'"), "\(command): \(result.stderr)")
            }
        }
    }
}
