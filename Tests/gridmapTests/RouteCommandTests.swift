import Foundation
import Testing

/// The tiny-town fixture with roads (a county road east–west, village spurs to both homes, track
/// spurs to both wells, and one short track joined to nothing) and a citizen service station in
/// TT-001, imported into a fresh store.
struct RoadTown {
    typealias Workspace = TownCommandsTests.Workspace
    let work: Workspace

    /// Tests/gridmapTests/Fixtures/road-layers: the roads and the service station added to the
    /// tiny town (the in-process tests of GridMapApp use the same files).
    static let layers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/road-layers")

    /// The fixture's road layer as text, for tests that add a road to it.
    static func roads() throws -> String {
        try String(contentsOf: layers.appendingPathComponent("roads.geojson"), encoding: .utf8)
    }

    /// `teamRows` are appended to the fixture's team.csv (which has members for TT-001 only).
    /// `roads` and `wells`, when given, replace the road layer and the fixture's wells layer.
    init(teamRows: String = "", roads: String? = nil, wells: String? = nil) throws {
        work = try Workspace()
        let town = try work.copyOfTinyTown(named: "road-town")
        if !teamRows.isEmpty {
            let team = town.appendingPathComponent("team.csv")
            try (try String(contentsOf: team, encoding: .utf8) + teamRows).write(to: team, atomically: true, encoding: .utf8)
        }
        if let roads {
            try roads.write(to: town.appendingPathComponent("roads.geojson"), atomically: true, encoding: .utf8)
        } else {
            try FileManager.default.copyItem(at: Self.layers.appendingPathComponent("roads.geojson"), to: town.appendingPathComponent("roads.geojson"))
        }
        if let wells { try wells.write(to: town.appendingPathComponent("wells.geojson"), atomically: true, encoding: .utf8) }
        try FileManager.default.copyItem(at: Self.layers.appendingPathComponent("citizen-service-stations.geojson"),
                                         to: town.appendingPathComponent("citizen-service-stations.geojson"))
        let imported = try GridMapExecutable.run(["import", town.path, "--db", work.db])
        guard imported.status == 0 else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: imported.stderr]) }
    }

    var db: String { work.db }
    func remove() { work.remove() }
}

@Suite("gridmap route")
struct RouteCommandTests {
    @Test("veterans of TT-001: a CSV visiting order from the service station and a GeoJSON LineString along the roads")
    func routeWritesOrderAndLine() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let out = town.work.file("route.geojson")
        let result = try GridMapExecutable.run(["route", "--role", "office", "--category", "veteran", "--grid", "TT-001", "--out", out.path, "--db", town.db])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "worker,order,home,residents,leg_m,leg_min,arrival,departure")
        #expect(lines.count == 4, "\(result.stdout)")
        #expect(lines[1] == "1,0,svc-1,,0.0,0.0,0.0,0.0")
        #expect(lines[2].hasPrefix("1,1,home-1,R-1,"))
        #expect(lines[3].hasPrefix("1,2,svc-1,,"))
        #expect(!result.stdout.contains("张三") && !result.stderr.contains("张三"))
        #expect(result.stderr.contains("starting at svc-1"))
        let geojson = try String(contentsOf: out, encoding: .utf8)
        #expect(geojson.contains("\"LineString\""), "\(geojson)")
        #expect(geojson.contains("\"homes\":[\"home-1\"]"))
        #expect(!geojson.contains("张三"))
    }

    @Test("two workers over a village each get a round trip; every home is visited once")
    func routeSplitsWorkers() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let result = try GridMapExecutable.run(["route", "--role", "office", "--category", "veteran,disabled", "--village", "TT-V01", "--workers", "2",
                                                "--profile", "ebike", "--db", town.db])
        #expect(result.status == 0, "\(result.stderr)")
        let homes = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        #expect(homes.filter { $0 == "home-1" }.count == 1 && homes.filter { $0 == "home-2" }.count == 1)
        #expect(result.stderr.contains("worker 1:") && result.stderr.contains("worker 2:"))
    }

    @Test("an unknown category, an unknown grid and an empty selection are clear errors")
    func badSelections() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let unknown = try GridMapExecutable.run(["route", "--role", "office", "--category", "pensioner", "--grid", "TT-001", "--db", town.db])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("Unknown category 'pensioner'") && unknown.stderr.contains("veteran"))
        let grid = try GridMapExecutable.run(["route", "--role", "office", "--category", "veteran", "--grid", "TT-009", "--db", town.db])
        #expect(grid.status != 0)
        #expect(grid.stderr.contains("Unknown grid TT-009"))
        let second = try GridMapExecutable.run(["route", "--role", "office", "--category", "veteran", "--grid", "TT-001", "--grid", "TT-009", "--db", town.db])
        #expect(second.status != 0 && second.stderr.contains("Unknown grid TT-009"))
        let empty = try GridMapExecutable.run(["route", "--role", "office", "--category", "party-member", "--grid", "TT-001", "--db", town.db])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("No residents of party-member live in grid TT-001"), "\(empty.stderr)")
        let start = try GridMapExecutable.run(["route", "--role", "office", "--category", "veteran", "--grid", "TT-001", "--start", "nowhere", "--db", town.db])
        #expect(start.status != 0)
        #expect(start.stderr.contains("--start nowhere"))
    }

    @Test("a route lists resident ids and homes: the public and a grid worker of another grid are refused, the area's grid worker is not")
    func routeNeedsARoleThatSeesTheArea() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let args = ["route", "--category", "veteran", "--grid", "TT-001", "--db", town.db]
        let publicRoute = try GridMapExecutable.run(args)
        #expect(publicRoute.status == 64 && publicRoute.stdout.isEmpty)
        #expect(publicRoute.stderr.contains("the public sees no resident") && publicRoute.stderr.contains("--role office"), "\(publicRoute.stderr)")
        let other = try GridMapExecutable.run(args + ["--role", "grid-worker:TT-002"])
        #expect(other.status == 64 && other.stdout.isEmpty)
        #expect(other.stderr.contains("not those of grid TT-001"), "\(other.stderr)")
        let village = try GridMapExecutable.run(["route", "--category", "veteran,disabled", "--village", "TT-V01", "--role", "grid-worker:TT-001", "--db", town.db])
        #expect(village.status == 64 && village.stderr.contains("not those of grid TT-002"), "\(village.stderr)")
        let own = try GridMapExecutable.run(args + ["--role", "grid-worker:TT-001"])
        #expect(own.status == 0 && own.stdout.contains("home-1,R-1"), "\(own.stderr)")
    }

    @Test("--own-grid: each grid's homes go to its own team member; a grid with homes but no team is refused")
    func ownGrid() throws {
        let args = ["route", "--role", "office", "--category", "veteran,disabled", "--village", "TT-V01", "--own-grid", "--profile", "ebike"]
        let bare = try RoadTown()
        defer { bare.remove() }
        let refused = try GridMapExecutable.run(args + ["--db", bare.db])
        #expect(refused.status != 0 && refused.stdout.isEmpty)
        #expect(refused.stderr.contains("Grid TT-002 has 1 homes to visit but 0 team members"), "\(refused.stderr)")

        let town = try RoadTown(teamRows: "TT-002,volunteer,钱志愿者,,\nTT-002,liaison,孙联络员,,\n")
        defer { town.remove() }
        let result = try GridMapExecutable.run(args + ["--db", town.db])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let homes = rows.filter { $0[2].hasPrefix("home-") }
        #expect(homes.map { "\($0[0]) \($0[2])" }.sorted() == ["TT-001/1 home-1", "TT-002/1 home-2"], "\(result.stdout)")
        #expect(result.stderr.contains("worker TT-002/1 is the grid's liaison 孙联络员"))
        // The same grids named one by one: the same plan.
        let named = try GridMapExecutable.run(["route", "--role", "office", "--category", "veteran,disabled", "--grid", "TT-001", "--grid", "TT-002",
                                               "--own-grid", "--profile", "ebike", "--db", town.db])
        #expect(named.status == 0 && named.stdout == result.stdout, "\(named.stderr)")
        // Two workers per grid: TT-001 has two members, TT-002 now two as well; still only own homes.
        let two = try GridMapExecutable.run(args + ["--workers", "2", "--db", town.db])
        #expect(two.status == 0, "\(two.stderr)")
        for row in two.stdout.split(separator: "\n").dropFirst().map({ $0.split(separator: ",", omittingEmptySubsequences: false) })
        where row[2].hasPrefix("home-") {
            #expect(row[0].hasPrefix(row[2] == "home-1" ? "TT-001/" : "TT-002/"))
        }
    }

    @Test("--end and --open for two workers: each list closes at the end feature, or at its last home")
    func endsForWorkers() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let base = ["route", "--role", "office", "--category", "veteran,disabled", "--village", "TT-V01", "--workers", "2", "--db", town.db]
        let end = try GridMapExecutable.run(base + ["--end", "well-2"])
        #expect(end.status == 0, "\(end.stderr)")
        let lists = Dictionary(grouping: end.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) },
                               by: { $0[0] })
        #expect(!lists.isEmpty && lists.values.allSatisfy { $0.first?[2] == "svc-1" && $0.last?[2] == "well-2" }, "\(end.stdout)")
        let open = try GridMapExecutable.run(base + ["--open"])
        #expect(open.status == 0, "\(open.stderr)")
        let rows = open.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.filter { $0[2] == "svc-1" }.allSatisfy { $0[1] == "0" }, "\(open.stdout)")   // no return to the start
        #expect(rows.filter { $0[2].hasPrefix("home-") }.count == 2)
        let nowhere = try GridMapExecutable.run(base + ["--end", "nowhere"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("--end nowhere is not a feature"))
    }

    @Test("nearest --by road ranks by distance along the roads")
    func nearestByRoad() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let result = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.8031", "35.9031", "-k", "2", "--by", "road", "--db", town.db])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains("well-1") && lines[1].contains("well-2"), "\(result.stdout)")
        // Along the roads is farther than the straight line (210.52 m).
        #expect(!lines[0].contains("210.52"))
    }

    @Test("nearest --by road finds the well nearest along the roads even when many wells are nearer in a straight line")
    func nearestByRoadLooksPastStraightLineNeighbours() throws {
        // From the south end of road-4 (119.805, 35.9025): five wells ~200 m west at the foot of
        // road-2, but ~650 m away by road (north to road-1, west, south again); one well 320 m
        // north on road-4 itself. The first batch of straight-line candidates (4 × k) holds only
        // the five western wells.
        let west = (1...5).map { i in
            #"{"type":"Feature","id":"well-w\#(i)","properties":{"kind":"well","name":"西\#(i)"},"geometry":{"type":"Point","coordinates":[119.8031,35.903\#(3 + i)]}}"#
        }
        let north = #"{"type":"Feature","id":"well-n","properties":{"kind":"well","name":"北"},"geometry":{"type":"Point","coordinates":[119.8051,35.9054]}}"#
        let wells = #"{"type":"FeatureCollection","features":["# + (west + [north]).joined(separator: ",") + "]}"
        let town = try RoadTown(wells: wells)
        defer { town.remove() }
        let straight = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.805", "35.9025", "--db", town.db])
        #expect(straight.stdout.contains("well-w1"), "\(straight.stdout)")
        let road = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.805", "35.9025", "--by", "road", "--db", town.db])
        #expect(road.status == 0, "\(road.stderr)")
        #expect(road.stdout.hasPrefix("1  well-n  北  "), "\(road.stdout)")
    }
}
