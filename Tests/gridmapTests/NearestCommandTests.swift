import Foundation
import Testing

/// `gridmap nearest` end to end on the tiny-town fixture: well-1 at 119.805,35.902 (grid
/// TT-001) and well-2 at 119.815,35.908 (grid TT-002), about 1.1 km apart.
@Suite("gridmap nearest")
struct NearestCommandTests {
    /// The distance in metres between two WGS84 points, projected to EPSG:4549 by
    /// `gridmap transform` (PROJ), independently of the Atlas.
    static func projectedDistance(_ a: (Double, Double), _ b: (Double, Double)) throws -> Double {
        let result = try GridMapExecutable.run(["transform", "--from", "EPSG:4326", "--to", "EPSG:4549"],
                                               stdin: "\(a.0),\(a.1)\n\(b.0),\(b.1)\n")
        let points = result.stdout.split(separator: "\n").map { $0.split(separator: ",").compactMap { Double($0) } }
        return ((points[0][0] - points[1][0]) * (points[0][0] - points[1][0])
            + (points[0][1] - points[1][1]) * (points[0][1] - points[1][1])).squareRoot()
    }

    /// The distance printed on a result line "RANK  ID  NAME  DISTANCE m".
    static func distance(in line: Substring) -> Double? {
        line.split(separator: " ").dropLast().last.flatMap { Double($0) }
    }

    @Test("the nearest well and its distance agree with PROJ within half a metre")
    func nearestWell() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.803", "35.903", "--db", work.db])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("1  well-1  ") == true, "\(result.stdout)")
        let expected = try Self.projectedDistance((119.803, 35.903), (119.805, 35.902))
        let printed = try #require(lines.first.flatMap(Self.distance))
        #expect(abs(printed - expected) < 0.5, "printed \(printed) m, PROJ \(expected) m")
    }

    @Test("-k 2 lists both wells nearest first, and --max-distance drops the far one")
    func kAndMaxDistance() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let both = try GridMapExecutable.run(["nearest", "--kind", "well", "119.803", "35.903", "-k", "2", "--db", work.db])
        #expect(both.status == 0, "\(both.stderr)")
        let lines = both.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("1  well-1") == true && lines.last?.hasPrefix("2  well-2") == true, "\(both.stdout)")
        let far = try #require(lines.last.flatMap(Self.distance))
        let expected = try Self.projectedDistance((119.803, 35.903), (119.815, 35.908))
        #expect(abs(far - expected) < 0.5)

        let near = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.803", "35.903", "-k", "2",
                                              "--max-distance", "500", "--db", work.db])
        #expect(near.stdout.split(separator: "\n").count == 1)
        let none = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.803", "35.903", "--max-distance", "10", "--db", work.db])
        #expect(none.status == 0)
        #expect(none.stdout.isEmpty && none.stderr.contains("no well within 10.0 m"), "\(none.stderr)")
    }

    @Test("--same-grid keeps to the point's own grid even when another grid's well is nearer")
    func sameGrid() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        // In TT-001-2, about 500 m from well-2 (TT-002) and about 780 m from well-1 (TT-001).
        let anyGrid = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.8095", "35.908", "--db", work.db])
        #expect(anyGrid.stdout.hasPrefix("1  well-2"), "\(anyGrid.stdout)")
        let ownGrid = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.8095", "35.908", "--same-grid", "--db", work.db])
        #expect(ownGrid.stdout.hasPrefix("1  well-1"), "\(ownGrid.stdout)")
    }

    @Test("--csv adds nearest_id and nearest_distance_m to every row, in order")
    func batch() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["nearest", "--kind", "wells", "--csv", "-", "--db", work.db],
                                               stdin: "id,lon,lat\nhome-1,119.803,35.903\nbad,east,35.9\nhome-2,119.817,35.907\n")
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "id,lon,lat,nearest_id,nearest_distance_m")
        #expect(lines[1].hasPrefix("home-1,119.803,35.903,well-1,"))
        #expect(lines[2] == "bad,east,35.9,,")
        #expect(lines[3].hasPrefix("home-2,119.817,35.907,well-2,"))
        let distance = try #require(lines[1].split(separator: ",").last.flatMap { Double($0) })
        let expected = try Self.projectedDistance((119.803, 35.903), (119.805, 35.902))
        #expect(abs(distance - expected) < 0.5)
        #expect(result.stderr.contains("<stdin>:3: x is not a number"), "\(result.stderr)")
    }

    @Test("an unknown kind is refused, naming the kinds the town has")
    func unknownKind() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["nearest", "--kind", "clinics", "119.803", "35.903", "--db", work.db])
        #expect(result.status != 0)
        #expect(result.stderr.contains("Unknown kind 'clinics'") && result.stderr.contains("well (wells)"), "\(result.stderr)")
    }
}
