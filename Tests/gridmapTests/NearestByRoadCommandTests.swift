import Foundation
import Testing

@Suite("gridmap nearest --by road --csv")
struct NearestByRoadCommandTests {
    @Test("every row gets the well nearest along the roads, as the one-point query ranks it; a row cut off gets empty fields")
    func batch() throws {
        let town = try RoadTown()
        defer { town.remove() }
        let points = [("h1", "119.8031", "35.9031"), ("e", "119.8151", "35.9076"), ("lost", "119.8196", "35.9094")]
        let csv = "id,lon,lat\n" + points.map { "\($0.0),\($0.1),\($0.2)\n" }.joined()
        let result = try GridMapExecutable.run(["nearest", "--kind", "wells", "--by", "road", "--csv", "-", "--db", town.db], stdin: csv)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first == "id,lon,lat,nearest_id,nearest_distance_m" && rows.count == 4)
        for (i, point) in points.prefix(2).enumerated() {
            let one = try GridMapExecutable.run(["nearest", "--kind", "wells", point.1, point.2, "--by", "road", "--db", town.db])
            // "1  well-1  name  123.45 m" → the id and the distance.
            let fields = one.stdout.split(separator: " ", omittingEmptySubsequences: true)
            #expect(rows[i + 1] == "\(point.0),\(point.1),\(point.2),\(fields[1]),\(fields[3])", "\(one.stdout)")
        }
        #expect(rows[3] == "lost,119.8196,35.9094,,")
        #expect(result.stderr.hasSuffix("gridmap nearest: 3 rows, 2 with a well, 0 bad\n"), "\(result.stderr)")
        let grid = try GridMapExecutable.run(["nearest", "--kind", "wells", "--by", "road", "--same-grid", "--csv", "-", "--db", town.db], stdin: csv)
        #expect(grid.status == 64 && grid.stderr.contains("--same-grid is for straight lines with --csv"), "\(grid.stderr)")
    }
}
