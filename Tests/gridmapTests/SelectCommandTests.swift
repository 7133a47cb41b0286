import Foundation
import Testing
@testable import gridmap

/// `gridmap select` end to end on the tiny-town fixture: R-1 (veteran) lives at home-1
/// (119.803,35.903, TT-001-1), R-2 (disabled, party-member) at home-2 (119.817,35.907,
/// TT-002-2); both grids are in village TT-V01.
@Suite("gridmap select")
struct SelectCommandTests {
    static let header = "id,name,home,categories,phone,birthYear,microgrid,grid,lon,lat"

    @Test("residents are selected by category and grid for the office and the grid's worker; the public is refused and pointed to --counts")
    func categoryAndGrid() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        for format in ["csv", "geojson"] {
            let refused = try GridMapExecutable.run(["select", "--category", "veteran,disabled", "--format", format, "--db", work.db])
            #expect(refused.status == 64 && refused.stdout.isEmpty, "\(refused.stderr)")
            #expect(refused.stderr.contains("the public sees no resident: use --counts for counts by category and grid, or --role office / grid-worker:CODE"),
                    "\(refused.stderr)")
        }
        let all = try GridMapExecutable.run(["select", "--category", "veteran,disabled", "--role", "office", "--db", work.db])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout == """
            \(Self.header)
            R-1,张三,home-1,veteran,13812345678,1950,TT-001-1,TT-001,119.803,35.903
            R-2,王小明,home-2,disabled;party-member,13900001111,1980,TT-002-2,TT-002,119.817,35.907

            """)
        let office = try GridMapExecutable.run(["select", "--category", "disabled", "--grid", "TT-002", "--role", "office", "--db", work.db])
        #expect(office.stdout == """
            \(Self.header)
            R-2,王小明,home-2,disabled;party-member,13900001111,1980,TT-002-2,TT-002,119.817,35.907

            """)
        // A grid worker: their own grid town-wide; another grid refused, naming it.
        let worker = try GridMapExecutable.run(["select", "--role", "grid-worker:TT-002", "--db", work.db])
        #expect(worker.status == 0 && worker.stdout.contains("R-2,王小明") && !worker.stdout.contains("R-1"), "\(worker.stderr)")
        let other = try GridMapExecutable.run(["select", "--grid", "TT-001", "--role", "grid-worker:TT-002", "--db", work.db])
        #expect(other.status == 64 && other.stderr.contains("not those of grid TT-001"), "\(other.stderr)")
        let micro = try GridMapExecutable.run(["select", "--category", "veteran", "--micro-grid", "TT-001-2", "--role", "office", "--db", work.db])
        #expect(micro.status == 0)
        #expect(micro.stdout == Self.header + "\n")
        #expect(micro.stderr.contains("no residents match"))
    }

    @Test("a village, a GeoJSON polygon and a radius around a point select by where homes are")
    func villagePolygonRadius() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let village = try GridMapExecutable.run(["select", "--village", "TT-V01", "--role", "office", "--db", work.db])
        #expect(village.stdout.contains("R-1,") && village.stdout.contains("R-2,"))

        let polygon = work.file("west.geojson")
        try """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",
             "coordinates":[[[119.80,35.90],[119.806,35.90],[119.806,35.91],[119.80,35.91],[119.80,35.90]]]}}]}
            """.write(to: polygon, atomically: true, encoding: .utf8)
        let inside = try GridMapExecutable.run(["select", "--within", polygon.path, "--role", "office", "--db", work.db])
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(inside.stdout.contains("R-1,") && !inside.stdout.contains("R-2,"))

        let near = try GridMapExecutable.run(["select", "--around", "119.8035,35.903", "--radius", "100", "--role", "office", "--db", work.db])
        #expect(near.stdout.contains("R-1,") && !near.stdout.contains("R-2,"), "\(near.stderr)")
        let far = try GridMapExecutable.run(["select", "--around", "119.8035,35.903", "--radius", "2000", "--format", "geojson", "--role", "office", "--db", work.db])
        #expect(far.stdout.hasPrefix("{\"type\":\"FeatureCollection\""))
        #expect(far.stdout.contains("\"id\":\"R-1\"") && far.stdout.contains("\"id\":\"R-2\"") && far.stdout.contains("\"王小明\""))
    }

    @Test("--counts writes the category by grid table with a total per grid and a town row: exact for the office, small cells <5 for the public")
    func counts() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let all = try GridMapExecutable.run(["select", "--counts", "--role", "office", "--db", work.db])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout == """
            grid,party-member,veteran,disabled,elderly-living-alone,left-behind-child,low-income,total
            TT-001,0,1,0,0,0,0,1
            TT-002,1,0,1,0,0,0,1
            town,1,1,1,0,0,0,2

            """)
        let some = try GridMapExecutable.run(["select", "--counts", "--category", "disabled,party-member", "--role", "office", "--db", work.db])
        #expect(some.stdout == "grid,disabled,party-member,total\nTT-001,0,0,0\nTT-002,1,1,1\ntown,1,1,1\n")
        let suppressed = try GridMapExecutable.run(["select", "--counts", "--category", "disabled,party-member", "--db", work.db])
        #expect(suppressed.status == 0, "\(suppressed.stderr)")
        #expect(suppressed.stdout == "grid,disabled,party-member,total\nTT-001,<5,<5,<5\nTT-002,<5,<5,<5\ntown,1,1,1\n")
    }

    @Test("an unknown category, grid or village is refused, naming the valid ones")
    func unknownNames() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let category = try GridMapExecutable.run(["select", "--category", "vet", "--db", work.db])
        #expect(category.status != 0)
        #expect(category.stderr.contains("Unknown category 'vet'") && category.stderr.contains("veteran"))
        let grid = try GridMapExecutable.run(["select", "--grid", "TT-009", "--db", work.db])
        #expect(grid.status != 0)
        #expect(grid.stderr.contains("Unknown grid TT-009: the town has TT-001, TT-002"))
        let village = try GridMapExecutable.run(["select", "--village", "TT-V99", "--db", work.db])
        #expect(village.stderr.contains("Unknown village TT-V99: the town has TT-V01"))
        // Errors about the data come without the usage text; errors in the command line keep it.
        #expect(grid.status == 64 && !grid.stderr.contains("Usage:"), "\(grid.stderr)")
        let typo = try GridMapExecutable.run(["select", "--grid"])
        #expect(typo.status == 64 && typo.stderr.contains("Usage: gridmap select"), "\(typo.stderr)")
    }
}
