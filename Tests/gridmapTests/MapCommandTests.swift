import Foundation
import Testing

@Suite("gridmap map")
struct MapCommandTests {
    @Test("the town map and a grid sheet are written as SVG with the grid codes as labels")
    func mapsAreWritten() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let town = work.file("town.svg"), sheet = work.file("TT-001.svg")
        let drawn = try GridMapExecutable.run(["map", "--db", work.db, "--out", town.path, "--no-png"])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let svg = try String(contentsOf: town, encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") || svg.hasPrefix("<svg"))
        #expect(svg.contains("TT-001") && svg.contains("TT-002"))
        #expect(try GridMapExecutable.run(["map", "--db", work.db, "--grid", "TT-001", "--out", sheet.path, "--no-png"]).status == 0)
        let gridSVG = try String(contentsOf: sheet, encoding: .utf8)
        #expect(gridSVG.contains("TT-001-1") && gridSVG.contains("TT-001-2"))
        #expect(!gridSVG.contains(">TT-002-1<"))
    }

    @Test("an unknown grid or layer is a clear error")
    func badOptions() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let grid = try GridMapExecutable.run(["map", "--db", work.db, "--grid", "TT-009", "--out", work.file("x.svg").path])
        #expect(grid.status != 0)
        #expect(grid.stderr.contains("TT-009"))
        let layer = try GridMapExecutable.run(["map", "--db", work.db, "--layers", "wells,unicorns", "--out", work.file("x.svg").path])
        #expect(layer.status != 0)
        #expect(layer.stderr.contains("unicorns"))
    }
}
