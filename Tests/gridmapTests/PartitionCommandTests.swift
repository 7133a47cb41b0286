import Foundation
import Testing

/// `gridmap partition`: a town folder's micro-grids designed from its roads, water and homes.
@Suite("gridmap partition: micro-grids designed along roads and water")
struct PartitionCommandTests {
    typealias Workspace = TownCommandsTests.Workspace
    static let dacun = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/dacun").standardized

    @Test("Dacun partitioned into 291 micro-grids is written as a town folder that imports and locates, with the report on standard output")
    func dacunPartitionImports() throws {
        let work = try Workspace()
        defer { work.remove() }
        let out = work.file("partitioned")
        let result = try GridMapExecutable.run(["partition", Self.dacun.path, "--out", out.path, "--micro-grids", "291"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("gridmap partition: \(out.path): 115 grids, 291 micro-grids from "), "\(result.stdout)")
        #expect(result.stdout.contains("households per micro-grid: minimum "))
        let imported = try GridMapExecutable.run(["import", out.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("115 grids, 291 micro-grids, 21272 features, 56000 residents, 1198 team members"), "\(imported.stderr)")
        let located = try GridMapExecutable.run(["locate", "119.80", "35.92", "--db", work.db])
        #expect(located.status == 0, "\(located.stderr)")
        #expect(located.stdout.contains("DC-"), "\(located.stdout)")
        // The residents travel with the town: the folder is its owner's alone.
        let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("residents.csv").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a real OpenStreetMap town imported, exported and partitioned imports again with its micro-grids along its streets")
    func openStreetMapTownPartitioned() throws {
        let work = try Workspace()
        defer { work.remove() }
        let pbf = Self.dacun.deletingLastPathComponent().appendingPathComponent("osm/aguascalientes.osm.pbf").path
        let imported = try GridMapExecutable.run(["import", pbf, "--code", "AG", "--name", "Aguascalientes", "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let exported = work.file("town")
        #expect(try GridMapExecutable.run(["export", "--all", "--out", exported.path, "--role", "office", "--db", work.db]).status == 0)
        let partitioned = work.file("partitioned")
        let result = try GridMapExecutable.run(["partition", exported.path, "--out", partitioned.path, "--homes", "5..10"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 grids, 5 micro-grids from "), "\(result.stdout)")
        let again = try GridMapExecutable.run(["import", partitioned.path, "--db", work.file("again.sqlite").path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("1 grids, 5 micro-grids, 749 features"), "\(again.stderr)")
    }

    @Test("partition never writes over its source or another town folder without --replace, and refuses a backwards range")
    func refusals() throws {
        let work = try Workspace()
        defer { work.remove() }
        let source = try work.copyOfTinyTown(named: "town")
        let over = try GridMapExecutable.run(["partition", source.path, "--out", source.path])
        #expect(over.status == 64)
        #expect(over.stderr.contains("is the town folder being partitioned; write the new town to another folder"), "\(over.stderr)")
        let other = try work.copyOfTinyTown(named: "other")
        let refused = try GridMapExecutable.run(["partition", source.path, "--out", other.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is a town folder already; choose another --out or pass --replace"), "\(refused.stderr)")
        let backwards = try GridMapExecutable.run(["partition", source.path, "--out", work.file("new").path, "--homes", "80..60"])
        #expect(backwards.status == 64)
        #expect(backwards.stderr.contains("--homes wants a range of whole numbers from 1 up like 60..80, not '80..60'."), "\(backwards.stderr)")
    }
}
