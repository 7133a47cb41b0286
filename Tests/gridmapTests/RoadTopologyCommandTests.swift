import Foundation
import Testing

/// The town manifest's `roadTopology` seen from the command line (issue #12, item 1): the same
/// roads give different answers when the manifest says roads meet only at shared vertices.
@Suite("gridmap and the manifest's road topology")
struct RoadTopologyCommandTests {
    /// A street west–east with a vertex at 119.810 where a loop joins it; a north–south road at
    /// 119.805 crosses the street with no vertex there (a bridge drawn without tags) and joins
    /// the loop at its north end; well-1 lies just south of it.
    static let roads = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"street","properties":{"kind":"road","class":"village"},"geometry":{"type":"LineString","coordinates":[[119.801,35.905],[119.810,35.905],[119.819,35.905]]}},
        {"type":"Feature","id":"crossing","properties":{"kind":"road","class":"village"},"geometry":{"type":"LineString","coordinates":[[119.805,35.9055],[119.805,35.9023]]}},
        {"type":"Feature","id":"loop","properties":{"kind":"road","class":"village"},"geometry":{"type":"LineString","coordinates":[[119.805,35.9055],[119.810,35.9055],[119.810,35.905]]}}
        ]}
        """

    /// The tiny town with these roads, imported; `topology` written into its manifest when given.
    static func town(topology: String?) throws -> TownCommandsTests.Workspace {
        let work = try TownCommandsTests.Workspace()
        let folder = try work.copyOfTinyTown(named: "town")
        try roads.write(to: folder.appendingPathComponent("roads.geojson"), atomically: true, encoding: .utf8)
        if let topology {
            let manifest = folder.appendingPathComponent("manifest.json")
            let text = try String(contentsOf: manifest, encoding: .utf8)
                .replacingOccurrences(of: "\"crs\": \"OGC:CRS84\"", with: "\"crs\": \"OGC:CRS84\",\n  \"roadTopology\": \"\(topology)\"")
            try text.write(to: manifest, atomically: true, encoding: .utf8)
        }
        let imported = try GridMapExecutable.run(["import", folder.path, "--db", work.db])
        #expect(imported.status == 0, "\(imported.stderr)")
        return work
    }

    /// Metres along the roads from a point on the street west of the crossing to well-1, and
    /// what the command said on standard error.
    static func toWell(_ work: TownCommandsTests.Workspace) throws -> (metres: Double, notes: String) {
        // Both wells: round by the loop, well-2 (beyond the street's east end) comes first.
        let result = try GridMapExecutable.run(["nearest", "--kind", "wells", "--by", "road", "-k", "2",
                                                "--db", work.db, "--", "119.803", "35.905"])
        #expect(result.status == 0, "\(result.stderr)")
        // "1  well-1  西井  123.45 m"
        let row = try #require(result.stdout.split(separator: "\n").first { $0.contains("well-1") }, "\(result.stdout)")
        let fields = row.split(separator: " ", omittingEmptySubsequences: true)
        return (try #require(Double(fields[3])), result.stderr)
    }

    @Test("a road crossing the street without a shared vertex is a junction under noded crossings, and not under shared vertices")
    func sharedVerticesGoRound() throws {
        let noded = try Self.town(topology: nil)
        defer { noded.remove() }
        let shared = try Self.town(topology: "shared-vertices")
        defer { shared.remove() }
        let through = try Self.toWell(noded)
        let round = try Self.toWell(shared)
        #expect(through.notes.contains("roadTopology noded-crossings"), "\(through.notes)")
        #expect(round.notes.contains("roadTopology shared-vertices"), "\(round.notes)")
        // Through the crossing: about 180 m east and 300 m south; round by the loop's shared
        // vertices: about 630 m east, 55 m north, 450 m west and 355 m south — 1,000 m more.
        #expect(through.metres > 450 && through.metres < 560, "\(through.metres)")
        #expect(round.metres - through.metres > 900 && round.metres - through.metres < 1_100, "\(through.metres) → \(round.metres)")
    }

    @Test("an unknown roadTopology in the manifest is refused at import, naming the member and the known values")
    func unknownTopologyIsRefused() throws {
        let work = try TownCommandsTests.Workspace()
        defer { work.remove() }
        let folder = try work.copyOfTinyTown(named: "town")
        let manifest = folder.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
            .replacingOccurrences(of: "\"crs\": \"OGC:CRS84\"", with: "\"crs\": \"OGC:CRS84\",\n  \"roadTopology\": \"nodes\"")
        try text.write(to: manifest, atomically: true, encoding: .utf8)
        let imported = try GridMapExecutable.run(["import", folder.path, "--db", work.db])
        #expect(imported.status != 0)
        #expect(imported.stderr.contains("roadTopology") && imported.stderr.contains("shared-vertices"), "\(imported.stderr)")
        // Nothing was imported: no store, or one without the town.
        if FileManager.default.fileExists(atPath: work.db) {
            let info = try GridMapExecutable.run(["info", "--db", work.db])
            #expect(!info.stdout.contains("Tiny Town"), "\(info.stdout)")
        }
    }
}
