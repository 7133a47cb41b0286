import Foundation
import Testing

/// Issue #12, item 4: what cannot be reached is said by name, with the reason and the exit
/// status, and never as `inf`. On the road fixture, road-9 is a short track joined to nothing;
/// "lost" lies on it.
@Suite("gridmap tour and nearest: places the roads cannot reach")
struct UnreachableCommandTests {
    static let lost = "lost,119.8196,35.9094\n"
    static let main = "w1,119.805,35.902\nh1,119.803,35.903\n"
    static let pieces = "gridmap tour: the roads form 2 unconnected pieces; 1 road lies apart from the largest: road-9"

    @Test("a start cut off from every stop fails with exit 64 and says why, rather than giving every worker 0 stops")
    func startCutOff() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let result = try GridMapExecutable.run(["tour", "-", "--workers", "2", "--db", town.db], stdin: "id,lon,lat\n" + Self.lost + Self.main)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == Self.pieces + "\n"
            + "Error: The start lost cannot reach any of the 2 stops: its nearest road, road-9, is on a piece of road cut off "
            + "from every stop's. Start from a place on the main roads (--start ID).\n", "\(result.stderr)")
    }

    @Test("an end on a piece no road joins to the start fails with exit 64, naming both by id")
    func endCutOff() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let result = try GridMapExecutable.run(["tour", "-", "--end", "lost", "--db", town.db], stdin: "id,lon,lat\n" + Self.main + Self.lost)
        #expect(result.status == 64)
        #expect(result.stderr.hasSuffix("Error: The end lost cannot be reached from the start w1: their nearest roads, road-9 and "
            + "road-4, are on pieces of road that no road joins.\n"), "\(result.stderr)")
    }

    @Test("a stop cut off from the start is listed last by id with its reason; the others are planned; exit 0")
    func stopCutOff() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let result = try GridMapExecutable.run(["tour", "-", "--db", town.db], stdin: "id,lon,lat\n" + Self.main + Self.lost)
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("\nlost,,,,,,\n") && !result.stdout.contains("inf"))
        #expect(result.stderr.contains("\ngridmap tour: 1 stops cannot be reached from the start w1 (not connected by road), listed "
            + "last without a worker: lost (its nearest road, road-9, is on a piece of road cut off from the start's)\n"), "\(result.stderr)")
    }

    @Test("three stops at one spot cost what one does: no trips to the road and back between them")
    func oneSpot() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let spot = "119.8031,35.9031"
        let one = try GridMapExecutable.run(["tour", "-", "--db", town.db], stdin: "id,lon,lat\nw1,119.805,35.902\na,\(spot)\n")
        let three = try GridMapExecutable.run(["tour", "-", "--db", town.db],
                                              stdin: "id,lon,lat\nw1,119.805,35.902\na,\(spot)\nb,\(spot)\nc,\(spot)\n")
        #expect(one.status == 0 && three.status == 0, "\(three.stderr)")
        let total = "gridmap tour: total 1452.1 m, 19.4 min (travel 19.4 + service 0.0)\n"
        #expect(one.stderr.hasSuffix(total) && three.stderr.hasSuffix(total), "\(one.stderr)\n\(three.stderr)")
        let legs = TourCommandTests.rows(three.stdout).compactMap(\.leg)
        #expect(legs.filter { $0 == 0 }.count == 3, "the start's own leg and two between the stops at the spot: \(three.stdout)")
    }

    @Test("nearest --by road from a point cut off from every well fails with exit 64, naming them; never `inf m`")
    func nearestCutOff() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let result = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.8196", "35.9094", "-k", "2", "--by", "road", "--db", town.db])
        #expect(result.status == 64 && result.stdout.isEmpty)
        #expect(result.stderr.hasSuffix("Error: No road joins the point to any well: its nearest road, road-9, is on a piece of road "
            + "cut off from theirs (well-1, well-2).\n"), "\(result.stderr)")
        #expect(!result.stderr.contains("inf"))
    }

    @Test("nearest --by road: --max-distance applies to the distance along the roads")
    func nearestMaxDistanceByRoad() throws {
        let town = try RoadTown()
        defer { town.remove() }
        // well-1 is 210.52 m away in a straight line but farther along the roads.
        let line = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.8031", "35.9031", "--max-distance", "300", "--db", town.db])
        #expect(line.status == 0 && line.stdout.contains("well-1"), "\(line.stdout)")
        let road = try GridMapExecutable.run(["nearest", "--kind", "wells", "119.8031", "35.9031", "--max-distance", "300", "--by", "road",
                                              "--db", town.db])
        #expect(road.status == 0 && road.stdout.isEmpty, "\(road.stdout)")
        #expect(road.stderr.hasSuffix("gridmap nearest: no well within 300.0 m\n"), "\(road.stderr)")
    }
}
