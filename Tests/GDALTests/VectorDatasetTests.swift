import Foundation
import GDAL
import GeoJSON
import Testing

@Suite("Reading vector sources through GDAL")
struct VectorDatasetTests {
    /// The real OpenStreetMap extracts kept in the repository (geodata/osm/README.md).
    static let realData = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../geodata/osm").standardizedFileURL

    /// A temporary folder for one test, removed after it.
    static func withFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gdal-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    @Test("an OSM PBF opens with the OSM driver, its layers in WGS84, ways with their OSM ids")
    func osmPBF() throws {
        let dataset = try VectorDataset(path: Self.realData.appendingPathComponent("aguascalientes.osm.pbf").path)
        #expect(dataset.driverName == "OSM")
        #expect(dataset.layers.map(\.name) == ["points", "lines", "multilinestrings", "multipolygons", "other_relations"])
        #expect(dataset.layers.allSatisfy { $0.crs == "EPSG:4326" })
        var highways = 0
        var lines = 0
        try dataset.forEachFeature { feature in
            guard feature.layer == "lines" else { return }
            lines += 1
            if feature.attributes["highway"] != nil { highways += 1 }
            #expect(feature.attributes["osm_id"]?.stringValue == String(feature.fid))
            guard case .lineString(let positions)? = feature.geometry else {
                Issue.record("line \(feature.fid) has \(String(describing: feature.geometry))")
                return
            }
            // The extract's box (README): longitude first.
            #expect(positions.allSatisfy { (-102.4 ... -102.1).contains($0.x) && (21.7 ... 22.0).contains($0.y) })
        }
        // The README counts 685 line features, 674 with highway (some closed ways are polygons in GDAL's reading).
        #expect(lines > 600 && lines <= 685)
        #expect(highways > 600 && highways <= 674)
    }

    @Test("curves are linearised and elevations dropped, each with a note")
    func curvesAndElevations() throws {
        try Self.withFolder { folder in
            let csv = folder.appendingPathComponent("shapes.csv")
            try """
            id,WKT
            1,"CIRCULARSTRING Z (0 0 5,1 1 5,2 0 5)"
            2,"POINT Z (3 4 9)"
            3,"POLYGON ((0 0,1 0,1 1,0 0))"

            """.write(to: csv, atomically: true, encoding: .utf8)
            let dataset = try VectorDataset(path: csv.path)
            var features: [SourceFeature] = []
            try dataset.forEachFeature { features.append($0) }
            #expect(features.count == 3)
            guard case .lineString(let arc)? = features[0].geometry else { Issue.record("no arc"); return }
            #expect(arc.count > 10)
            #expect(arc.allSatisfy { $0.z == nil && abs(hypot($0.x - 1, $0.y) - 1) < 1e-9 })
            #expect(features[0].notes == ["curved geometry linearised", "elevations and measures dropped (3D to 2D)"])
            #expect(features[1].geometry == .point(Position(x: 3, y: 4)))
            #expect(features[2].geometry == .polygon([[Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0)]]))
            #expect(features[2].notes.isEmpty)
            #expect(features[0].attributes["id"]?.stringValue == "1")
        }
    }

    @Test("a file no driver reads is an error naming it, with GDAL's words")
    func unreadableFile() throws {
        try Self.withFolder { folder in
            let junk = folder.appendingPathComponent("junk.gpkg")
            try Data("not a geopackage".utf8).write(to: junk)
            #expect {
                _ = try VectorDataset(path: junk.path)
            } throws: { error in
                guard let error = error as? GDALError else { return false }
                return error.kind == .cannotOpen && error.file == junk.path && error.description.hasPrefix(junk.path + ": ")
                    && !error.message.isEmpty
            }
            #expect(throws: GDALError.self) { _ = try VectorDataset(path: folder.appendingPathComponent("absent.shp").path) }
        }
    }
}
