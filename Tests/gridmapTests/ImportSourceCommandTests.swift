import Foundation
import Testing

/// `gridmap import` of real OpenStreetMap extracts with the built-in mapping (issue #11, items
/// 1–4): the town made from them validates, locates, finds the nearest along the roads, plans a
/// tour and draws its map, with no file written by hand. Nothing here depends on the two files
/// beyond their being real extracts: the checks are properties any extract has.
@Suite("Import command: OpenStreetMap sources")
struct ImportSourceCommandTests {
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/osm").standardizedFileURL

    /// The first position of the first road a GeoJSON export of roads lists, and ids.
    static func roads(in folder: URL) throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("roads.geojson"))
        let collection = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(collection["features"] as? [[String: Any]])
    }

    @Test("an OSM PBF imports with the built-in mapping, and the town validates, locates, routes and maps", .timeLimit(.minutes(5)))
    func aguascalientes() throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let db = work.appendingPathComponent("ag.sqlite").path
        let source = Self.realData.appendingPathComponent("aguascalientes.osm.pbf").path
        let imported = try GridMapExecutable.run(["import", source, "--code", "AG", "--name", "Aguascalientes", "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("made one grid (AG-001) and one micro-grid (AG-001-1)"))
        #expect(imported.stderr.contains("UTM zone 13N"), "the working CRS is chosen from the place: \(imported.stderr)")
        #expect(imported.stderr.contains("no boundary given"))

        let validated = try GridMapExecutable.run(["validate", "--db", db])
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")

        // Export: roads carry OSM ids, their highway value as class, and the road tags.
        let folder = work.appendingPathComponent("export")
        let exported = try GridMapExecutable.run(["export", "--all", "--out", folder.path, "--role", "office", "--db", db])
        #expect(exported.status == 0, "\(exported.stderr)")
        let roads = try Self.roads(in: folder)
        #expect(roads.count > 600)
        #expect(roads.allSatisfy { ($0["id"] as? String)?.hasPrefix("way/") == true })
        let properties = roads.compactMap { $0["properties"] as? [String: Any] }
        #expect(properties.contains { $0["class"] as? String == "residential" && $0["highway"] as? String == "residential" })
        #expect(properties.contains { $0["oneway"] as? String == "yes" })
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"roadTopology\": \"shared-vertices\"") || manifest.contains("\"roadTopology\":\"shared-vertices\""), "\(manifest)")
        #expect(manifest.contains("OpenStreetMap contributors"))

        // A point in the middle of the extract is in the one micro-grid.
        let located = try GridMapExecutable.run(["locate", "--db", db, "--", "-102.2715", "21.869"])
        #expect(located.status == 0, "\(located.stderr)")
        #expect(located.stdout.contains("AG-001-1"), "\(located.stdout)")

        // Along the roads: the nearest home, and a tour over three road vertices.
        let nearest = try GridMapExecutable.run(["nearest", "--kind", "home", "--by", "road", "-k", "2", "--db", db, "--", "-102.2715", "21.869"])
        #expect(nearest.status == 0, "\(nearest.stderr)")
        #expect(nearest.stdout.contains("way/") || nearest.stdout.contains("relation/"), "\(nearest.stdout)")
        let geometry = try #require(roads.first { ($0["properties"] as? [String: Any])?["class"] as? String == "residential" }?["geometry"] as? [String: Any])
        let line = try #require(geometry["coordinates"] as? [[Double]])
        let stops = work.appendingPathComponent("stops.csv")
        try ("id,lon,lat\n" + [line.first!, line[line.count / 2], line.last!].enumerated()
            .map { "s\($0.offset),\($0.element[0]),\($0.element[1])" }.joined(separator: "\n") + "\n")
            .write(to: stops, atomically: true, encoding: .utf8)
        let tour = try GridMapExecutable.run(["tour", stops.path, "--db", db])
        #expect(tour.status == 0, "\(tour.stdout)\(tour.stderr)")

        let map = work.appendingPathComponent("ag.svg")
        let drawn = try GridMapExecutable.run(["map", "--out", map.path, "--db", db])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        #expect(FileManager.default.fileExists(atPath: map.path))
    }

    @Test("a bzip2-compressed OSM XML extract imports too", .timeLimit(.minutes(2)))
    func westOakland() throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let db = work.appendingPathComponent("wo.sqlite").path
        let source = Self.realData.appendingPathComponent("west-oakland.osm.bz2").path
        let imported = try GridMapExecutable.run(["import", source, "--code", "WO", "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let info = try GridMapExecutable.run(["info", "--db", db])
        #expect(info.status == 0)
        #expect(info.stdout.contains("roads"), "\(info.stdout)")
        let located = try GridMapExecutable.run(["locate", "--db", db, "--", "-122.3005", "37.8075"])
        #expect(located.stdout.contains("WO-001-1"), "\(located.stdout)\(located.stderr)")
    }

    @Test("a file that is not a town folder needs a mapping, and the store is left as it was")
    func fileWithoutMapping() throws {
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("survey.gpkg")
        try Data("not a geopackage".utf8).write(to: file)
        let db = work.appendingPathComponent("t.sqlite").path
        let result = try GridMapExecutable.run(["import", file.path, "--code", "SV", "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--mapping FILE"), "\(result.stderr)")
        // No town was stored: a store file, if one was made, holds none.
        if FileManager.default.fileExists(atPath: db) {
            #expect(try GridMapExecutable.run(["info", "--db", db]).status != 0)
        }
    }
}
