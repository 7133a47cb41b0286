import Foundation
import Testing

/// `gridmap import --make-valid --snap METRES`: repairs only on request, one line per item changed.
@Suite("gridmap import: repair on request")
struct ImportRepairCommandTests {
    /// A copy of the tiny town with a bow-tie field, and micro-grid TT-001-2's south edge 4.4 cm
    /// north of its neighbour's (as rounding leaves it): a sliver gap between TT-001-1 and TT-001-2.
    static func brokenTown(in work: TownCommandsTests.Workspace) throws -> URL {
        let folder = try work.copyOfTinyTown(named: "broken")
        let bowTie = """
            {"type":"FeatureCollection","features":[{"type":"Feature","id":"field-1","properties":{"name":"bow-tie"},\
            "geometry":{"type":"Polygon","coordinates":[[[119.801,35.901],[119.802,35.902],[119.802,35.901],[119.801,35.902],[119.801,35.901]]]}}]}
            """
        try bowTie.write(to: folder.appendingPathComponent("fields.geojson"), atomically: true, encoding: .utf8)
        let file = folder.appendingPathComponent("microgrids.geojson")
        var collection = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var features = try #require(collection["features"] as? [[String: Any]])
        var geometry = try #require(features[1]["geometry"] as? [String: Any])
        let ring = try #require((geometry["coordinates"] as? [[[Double]]])?.first)
        geometry["coordinates"] = [ring.map { [$0[0], $0[1] == 35.905 ? 35.9050004 : $0[1]] }]
        features[1]["geometry"] = geometry
        collection["features"] = features
        try JSONSerialization.data(withJSONObject: collection).write(to: file)
        return folder
    }

    @Test("without options the problems refuse the import with a hint; with --make-valid --snap 0.1 each repair is a line and the town imports")
    func repairsOnRequest() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        let folder = try Self.brokenTown(in: work)

        let refused = try GridMapExecutable.run(["import", folder.path, "--db", work.db])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("fields.geojson: feature 0, geometry: invalid Polygon: Self-intersection at (119.8015, 35.9015)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("hint: --make-valid repairs invalid geometries"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("repaired"))

        let valid = try GridMapExecutable.run(["import", folder.path, "--make-valid", "--db", work.db])
        #expect(valid.status == 1, "\(valid.stderr)")
        #expect(valid.stderr.contains("gridmap import: repaired fields.geojson: field-1: made valid: Self-intersection at ("),
                "\(valid.stderr)")
        #expect(valid.stderr.contains("sliver-gap"), "\(valid.stderr)")
        #expect(valid.stderr.contains("hint: slivers from coordinates rounded to 6 decimals snap away with --snap 0.1"), "\(valid.stderr)")

        let repaired = try GridMapExecutable.run(["import", folder.path, "--make-valid", "--snap", "0.1", "--db", work.db])
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(repaired.stderr.contains("repaired fields.geojson: field-1: made valid: "), "\(repaired.stderr)")
        #expect(repaired.stderr.contains("repaired microgrids.geojson: TT-001-2: snapped: 2 vertices within 0.100 m of a neighbour's vertex "
            + "or the town boundary; moved 2 vertices (largest move 0.044 m)\n"), "\(repaired.stderr)")
        #expect(repaired.stderr.contains("gridmap import: repair: 1 geometry made valid, 1 micro-grid snapped"), "\(repaired.stderr)")
        let validate = try GridMapExecutable.run(["validate", "--db", work.db])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    }

    @Test("a snap tolerance beyond a metre is a usage error that changes nothing")
    func toleranceRefused() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        let result = try GridMapExecutable.run(["import", TownCommandsTests.tinyTown.path, "--snap", "5", "--db", work.db])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("the snap tolerance must be a number of metres above 0 and at most 1.0, got 5.0"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work.db))
    }
}
