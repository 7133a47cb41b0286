import Foundation
import PostgresTesting
import Testing

/// `--db postgres://…`: the same town imported into SQLite and into PostgreSQL answers every read
/// command byte for byte alike.
@Suite("gridmap on a PostgreSQL store")
struct PostgresStoreCommandTests {
    typealias Workspace = TownCommandsTests.Workspace

    @Test("the read commands answer byte for byte as on SQLite")
    func sameAnswersAsSQLite() throws {
        let work = try Workspace.withTinyTown()
        defer { work.remove() }
        let postgres = try TestPostgres.freshSchema()
        let imported = try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--db", postgres])
        #expect(imported.status == 0, "\(imported.stderr)")
        let commands = StoreCommandsTests.reads + [
            ["export", "--layer", "grids"], ["export", "--layer", "residents", "--role", "grid-worker:TT-001"],
            ["locate", "119.0", "35.0"], ["select", "--grid", "TT-001", "--role", "office"],
        ]
        for command in commands {
            let onSQLite = try GridMapExecutable.run(command + ["--db", work.db])
            let onPostgres = try GridMapExecutable.run(command + ["--db", postgres])
            #expect(onPostgres.status == onSQLite.status, "\(command): \(onPostgres.stderr)")
            #expect(onPostgres.stdout == onSQLite.stdout, "\(command)")
            #expect(!onPostgres.stdout.isEmpty, "\(command)")
        }
    }

    @Test("a wrong address fails in words")
    func plainErrors() throws {
        let nowhere = try GridMapExecutable.run(["info", "--db", "postgresql:///nowhere?host=/nonexistent-gridmap&port=1"])
        #expect(nowhere.status != 0)
        #expect(nowhere.stderr.contains("cannot open store postgresql:///nowhere"))
    }
}
