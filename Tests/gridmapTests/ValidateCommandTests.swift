import Foundation
import Testing

@Suite("gridmap validate")
struct ValidateCommandTests {
    @Test("a town whose grids tile it validates clean with exit status 0")
    func cleanTownPasses() throws {
        let work = try TownCommandsTests.Workspace.withTinyTown()
        defer { work.remove() }
        let layer = work.file("problems.geojson")
        // Twice: the second run replaces the problems file of the first.
        for _ in 0..<2 {
            let result = try GridMapExecutable.run(["validate", "--db", work.db, "--problems", layer.path])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("clean"))
        }
    }

    @Test("a gap between grids is reported with its area and codes, as text and as a GeoJSON layer, and exits 1")
    func gapIsReported() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        let town = try work.copyOfTinyTown(named: "gap-town")
        // Pull the east grid's and its micro-grids' west edge from 119.81 to 119.8101: a strip
        // about 9 m wide and 1.1 km long opens between TT-001 and TT-002.
        for name in ["grids.geojson", "microgrids.geojson"] {
            let file = town.appendingPathComponent(name)
            let text = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var inEast = false
            var edited: [String] = []
            for line in lines {
                if line.contains("\"TT-002") { inEast = true }
                if line.contains("\"TT-001") { inEast = false }
                edited.append(inEast ? line.replacingOccurrences(of: "119.81,", with: "119.8101,") : line)
            }
            try edited.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        }
        // A gap refuses an import unless allowed (issue #15): allowed here, to be validated.
        #expect(try GridMapExecutable.run(["import", town.path, "--allow-coverage-faults", "--db", work.db]).status == 0)
        let layer = work.file("problems.geojson")
        let result = try GridMapExecutable.run(["validate", "--db", work.db, "--problems", layer.path])
        #expect(result.status == 1)
        let gapLine = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("gap") })
        #expect(gapLine.contains("TT-001 × TT-002"), "\(gapLine)")
        // 0.0001° of longitude at 35.9°N is about 9.0 m; the strip is 0.01° of latitude, about 1,109 m.
        let area = try #require(gapLine.split(separator: " ").firstIndex(of: "area").map { Double(gapLine.split(separator: " ")[$0 + 1]) } ?? nil)
        #expect(abs(area - 9.02 * 1109.1) < 0.02 * area, "area \(area)")
        let problems = try String(contentsOf: layer, encoding: .utf8)
        #expect(problems.contains("\"kind\":\"gap\""))
        #expect(problems.hasPrefix("{\"type\":\"FeatureCollection\""))
    }
}
